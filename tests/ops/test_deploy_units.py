"""deploy/systemd: every unit parses, and every ExecStart runs a command that exists with
arguments that its parser accepts; `systemd-analyze verify` where it is installed."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from tests.conftest import ROOT

UNITS = ROOT / "deploy" / "systemd"
CLI_COMMANDS = {"run", "demo", "test", "cap", "sms"}


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def _exec_starts() -> list[tuple[str, list[str]]]:
    found = []
    for path in sorted(UNITS.glob("*.service")):
        unit = _unit(path)
        found.append((path.name, shlex.split(unit["Service"]["ExecStart"])))
    return found


def test_every_unit_file_parses_and_the_target_wants_each_long_running_service() -> None:
    names = {p.name for p in UNITS.iterdir()}
    assert {"pctt-web.service", "pctt-outbox@.service", "pctt-backup.timer"} <= names
    target = _unit(UNITS / "pctt.target")["Unit"]["Wants"].split()
    for path in UNITS.glob("*.service"):
        service = _unit(path)["Service"]
        if service.get("Type") == "oneshot":
            continue
        wanted = path.name.replace("@.service", "@1.service")
        assert wanted in target, f"pctt.target does not start {path.name}"
        assert service["Restart"] == "always"
        assert service["EnvironmentFile"] == "/etc/pctt/env"
    for timer in UNITS.glob("*.timer"):
        assert (UNITS / timer.name.replace(".timer", ".service")).exists()


@pytest.mark.parametrize(("unit", "argv"), _exec_starts(), ids=lambda v: str(v)[:40])
def test_exec_start_names_a_real_command_with_valid_arguments(
    unit: str, argv: list[str], settings: pytest.FixtureRequest
) -> None:
    from pctt.settings.base import TASKS

    settings.TASKS = TASKS  # type: ignore[attr-defined] # production's task backend
    program = Path(argv[0]).name
    assert argv[0].startswith("/opt/pctt/.venv/bin/"), unit
    assert (ROOT / ".venv" / "bin" / program).exists(), f"{program} is not installed"
    if program == "gunicorn":
        assert argv[1] == "pctt.wsgi"
        import pctt.wsgi  # noqa: F401 - the module gunicorn loads

        return
    assert program == "pctt"
    name, args = argv[1], argv[2:]
    if name in CLI_COMMANDS:
        return
    app = get_commands().get(name)
    assert app is not None, f"{unit}: `pctt {name}` does not exist"
    command = load_command_class(app, name)
    command.create_parser("pctt", name).parse_args(args)  # exits (fails) on a bad option


def test_systemd_analyze_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # Point the units at this checkout so that the binaries they name exist here.
    for path in UNITS.iterdir():
        text = path.read_text().replace("/opt/pctt", str(ROOT))
        text = text.replace("User=pctt", "User=root").replace("Group=pctt", "Group=root")
        (tmp_path / path.name).write_text(text)
    (tmp_path / "pctt-outbox@1.service").symlink_to(tmp_path / "pctt-outbox@.service")
    units = [str(p) for p in sorted(tmp_path.iterdir()) if p.name != "pctt-outbox@.service"]
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, check=False
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "pctt" in line and "Failed to" not in line and "bus" not in line.lower()
    ]
    if result.returncode != 0 and not problems:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()[:300]}")
    assert not problems, "\n".join(problems)
