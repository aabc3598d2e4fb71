"""Building the compiled parts: a missing compiler is reported, never half-done, and CI insists."""

import pytest

from pctt.cap import speedups


def leftovers() -> list[str]:
    return sorted(path.name for path in speedups.HERE.glob(".*.so"))


def test_a_missing_compiler_is_a_clear_build_error_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CC", "/nonexistent/cc")
    before = leftovers()
    with pytest.raises(speedups.BuildError, match="/nonexistent/cc"):
        speedups.compile_module("_fastread")
    assert leftovers() == before


@pytest.mark.parametrize(("ci", "code"), [("true", 1), ("", 0)])
def test_without_a_compiler_pctt_runs_on_but_ci_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ci: str, code: int
) -> None:
    monkeypatch.setenv("CC", "/nonexistent/cc")
    monkeypatch.setenv("CI", ci)
    assert speedups.main(["--force"]) == code
    assert "pctt runs without them" in capsys.readouterr().err


def test_check_says_which_parts_are_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    assert speedups.main(["--check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["_fastread", "_fastpolygon"]


def test_modules_built_from_the_current_source_are_not_rebuilt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ./pctt.sh builds before the tests, so both are current here (and must be, under CI).
    monkeypatch.setenv("CC", "/nonexistent/cc")
    monkeypatch.setenv("CI", "true")
    assert speedups.main([]) == 0


def test_a_built_module_is_readable_by_other_users() -> None:
    # pctt may run as a service user other than the one who ran ./pctt.sh (docs/deployment.md).
    built = speedups.compile_module("_fastpolygon")
    assert built.stat().st_mode & 0o755 == 0o755
