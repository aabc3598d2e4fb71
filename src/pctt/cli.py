"""The `pctt` command: Django's management commands plus `run`, `demo`, `test` and `cap`.

`pctt run` is what the README's run command ends in; `pctt test` is what its test command
and CI end in, so the checks are the same everywhere.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgres://postgres@127.0.0.1:5432/test"


def _django(settings: str = "pctt.settings.dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pctt", *args])


def cmd_demo() -> int:
    _django()
    from pctt.demo.load import load_demo, print_logins

    _manage("migrate", "--no-input", "-v", "0")
    started = time.monotonic()
    summary = load_demo()
    print(f"Demo ward ready in {time.monotonic() - started:.1f} s: {summary}")
    print_logins()
    return 0


def cmd_setup_only() -> int:
    _django()
    from django.contrib.auth import get_user_model

    _manage("migrate", "--no-input", "-v", "0")
    if not get_user_model().objects.filter(is_superuser=True).exists():
        print(
            "No administrator yet. Create the first one (it will be asked to set up two-step"
            " verification at its first sign-in):\n    .venv/bin/pctt createsuperuser\n"
            "then open /admin/: the first-run set-up of the ward starts there."
        )
    return 0


def cmd_run(argv: list[str]) -> int:
    port = argv[argv.index("--port") + 1] if "--port" in argv else "8000"
    if "--no-demo" in argv:
        # A real ward: no fictional data. The first administrator opens /admin/ and the
        # first-run set-up (pctt.onboarding) takes them through the ward's set-up.
        if cmd_setup_only() != 0:
            return 1
    elif cmd_demo() != 0:
        return 1
    python = sys.executable
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    children = [
        subprocess.Popen(  # noqa: S603
            [python, "-m", "pctt.cli", "runserver", "--noreload", f"127.0.0.1:{port}"], env=env
        ),
        subprocess.Popen(  # noqa: S603
            [python, "-m", "pctt.cli", "db_worker", "--interval", "1", "--no-reload"], env=env
        ),
        # Drains the outbox: sends every queued delivery through the channel adapters.
        subprocess.Popen([python, "-m", "pctt.cli", "outbox"], env=env),  # noqa: S603
        # Upstream CAP feeds, each polled at the interval its administrator set.
        subprocess.Popen([python, "-m", "pctt.cli", "feeds", "poll", "--loop"], env=env),  # noqa: S603
        # Rebuilds the portal's snapshot files when a warning on show expires.
        subprocess.Popen([python, "-m", "pctt.cli", "portal", "watch"], env=env),  # noqa: S603
        # Loudspeakers: device health, schedules pushed ahead of time, play log from receipts.
        subprocess.Popen([python, "-m", "pctt.cli", "loudspeakers", "monitor"], env=env),  # noqa: S603
    ]
    print(f"\npctt: http://127.0.0.1:{port}/  (back office: /admin/) — Ctrl-C stops.\n")

    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    # Installed explicitly: a shell starting us in the background leaves SIGINT ignored,
    # and Ctrl-C must stop everything wherever we were started from.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.5)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    print("pctt: stopped.")
    return 0


def _step(title: str, command: list[str], env: dict[str, str] | None = None) -> bool:
    print(f"\n== {title}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})})  # noqa: S603
    print(
        f"== {title}: {'ok' if result.returncode == 0 else 'FAILED'}"
        f" ({time.monotonic() - started:.1f} s)",
        flush=True,
    )
    return result.returncode == 0


def cmd_test(argv: list[str]) -> int:
    """ruff, mypy, Django checks, migrations check, pytest (SQLite; PostgreSQL too under CI)."""
    bin_dir = Path(sys.executable).parent
    py = sys.executable
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    prod_env = {
        "DJANGO_SETTINGS_MODULE": "pctt.settings.prod",
        "SECRET_KEY": "check-deploy-only-" + "x" * 40,
        "ALLOWED_HOSTS": "pctt.example.org",
    }
    steps: list[tuple[str, list[str], dict[str, str] | None]] = [
        ("ruff", [str(bin_dir / "ruff"), "check", "."], None),
        ("ruff format", [str(bin_dir / "ruff"), "format", "--check", "."], None),
        ("mypy", [str(bin_dir / "mypy")], None),
        (
            "django check",
            [py, "-m", "pctt.cli", "check", "--fail-level", "WARNING"],
            {"DJANGO_SETTINGS_MODULE": "pctt.settings.test"},
        ),
        (
            "django check --deploy",
            [py, "-m", "pctt.cli", "check", "--deploy", "--fail-level", "WARNING"],
            prod_env,
        ),
        (
            "migrations",
            [py, "-m", "pctt.cli", "makemigrations", "--check", "--dry-run"],
            {"DJANGO_SETTINGS_MODULE": "pctt.settings.test", "DATABASE_URL": "sqlite://:memory:"},
        ),
        ("pytest (SQLite)", [py, "-m", "pytest", *argv], {"DATABASE_URL": ""}),
    ]
    if ci or os.environ.get("PCTT_TEST_POSTGRES"):
        steps.append(
            (
                "pytest (PostgreSQL)",
                [py, "-m", "pytest", *argv],
                {"DATABASE_URL": os.environ.get("PCTT_TEST_PG_URL", PG_URL)},
            )
        )
    failed = [title for title, command, env in steps if not _step(title, command, env)]
    print("\n" + ("All checks passed." if not failed else f"FAILED: {', '.join(failed)}"))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "help"
    if command == "cap":
        from pctt.cap.cli import main as cap_main

        return cap_main(args[1:])
    if command == "sms":
        from pctt.core.cli_sms import main as sms_main

        return sms_main(args[1:])
    if command == "run":
        return cmd_run(args[1:])
    if command == "loudspeaker-sim":
        args[0] = "loudspeaker_sim"
    if command == "demo":
        return cmd_demo()
    if command == "test":
        return cmd_test(args[1:])
    _django()
    _manage(*args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
