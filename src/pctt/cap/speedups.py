"""Optional compiled parts of pctt.cap, built in place from `src/pctt/cap/_*.c`.

pctt.cap is complete without them: each has a Python twin that gives the same results (the tests
hold the two equal), and a site without a C compiler runs the Python one. `./pctt.sh` builds them
with `python -m pctt.cap.speedups` after installing the dependencies (under a second).
They need the Python headers and lxml's headers (lxml's wheels ship them); the reader also needs
lxml's C API, so it is only used with the lxml and libxml2 it was compiled against.

Modules built from the current source and in use are left as they are (`--force` rebuilds).
Run `python -m pctt.cap.speedups --check` to see which are in use.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


class BuildError(RuntimeError):
    pass


def compile_module(name: str) -> Path:
    """Compile `HERE/name.c` into the extension module next to it; BuildError on failure."""
    import lxml  # the reader reads lxml's elements through lxml's C API headers

    source, target = HERE / f"{name}.c", _target(name)
    compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")[:1]
    includes = [sysconfig.get_paths()["include"], *lxml.get_include()]  # type: ignore[attr-defined]
    # A libxml2 from the system (lxml built from source) keeps its headers here.
    includes += [path for path in ("/usr/include/libxml2",) if Path(path).is_dir()]
    flags = ["-O2", "-shared", "-fPIC", "-fno-strict-aliasing", "-Wall"]
    if sys.platform == "darwin":
        flags += ["-undefined", "dynamic_lookup"]
    # Written beside the target, then renamed over it: a running pctt keeps the old file mapped.
    handle, name_of_partial = tempfile.mkstemp(dir=HERE, prefix=f".{name}-", suffix=".so")
    os.close(handle)
    partial = Path(name_of_partial)
    command = [*compiler, *flags, *(f"-I{path}" for path in includes), str(source)]
    command += ["-o", str(partial)]
    try:
        # The command is ours: the compiler named by $CC or by the Python build, fixed flags.
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)  # noqa: S603
        if done.returncode != 0:
            raise BuildError(f"{' '.join(command)}\n{done.stderr.strip()}")
        # mkstemp made it private; a service user other than the builder must load it.
        partial.chmod(0o755)
        partial.replace(target)
    except OSError as error:  # no compiler at all
        raise BuildError(f"{compiler[0]}: {error}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def status() -> dict[str, bool]:
    """Which compiled parts pctt.cap is using in this process."""
    from pctt.cap import geometry, reader

    return {
        "_fastread": reader.compiled_reader_in_use(),
        "_fastpolygon": geometry.fast_polygon_in_use(),
    }


def _target(name: str) -> Path:
    return HERE / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}"


def _up_to_date(name: str) -> bool:
    """Built from the current source and in use (for the reader: the lxml it was built for)."""
    target = _target(name)
    return (
        target.exists()
        and target.stat().st_mtime >= (HERE / f"{name}.c").stat().st_mtime
        and status().get(name, False)
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        for name, used in status().items():
            sys.stdout.write(f"{name}: {'in use' if used else 'not in use (pure Python)'}\n")
        return 0
    failed = []
    for name in sorted(source.stem for source in HERE.glob("_*.c")):
        if "--force" not in args and _up_to_date(name):
            continue  # ./pctt.sh runs this on every start
        try:
            compile_module(name)
        except BuildError as error:
            failed.append(f"{name}: {error}")
    if failed:
        sys.stderr.write(
            "pctt: the C speedups of pctt.cap could not be built; pctt runs without them "
            "(same results, slower CAP reading). Install a C compiler and the Python headers "
            "(Debian: build-essential python3-dev) to build them.\n"
        )
        for line in failed:
            sys.stderr.write(f"  {line}\n")
        # Under CI the compiled parts must be built, so that they are what the tests exercise.
        return 1 if os.environ.get("CI") == "true" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
