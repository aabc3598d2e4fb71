"""Guards against the code and its documentation drifting apart."""

import ast
from pathlib import Path

from pctt.cap import RULES
from pctt.cap.schema import cap12_schema

REPO = Path(__file__).resolve().parents[2]
CAP_SOURCE = REPO / "src" / "pctt" / "cap"


def test_every_rule_id_is_documented():
    documented = (REPO / "docs" / "cap.md").read_text(encoding="utf-8")
    missing = [rule for rule in RULES if f"`{rule}`" not in documented]
    assert missing == []


def test_the_cap_core_never_imports_django():
    for path in CAP_SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), path


def test_the_schema_is_compiled_once_and_keeps_its_oasis_notice():
    assert cap12_schema() is cap12_schema()
    xsd = (CAP_SOURCE / "schema" / "CAP-v1.2.xsd").read_text(encoding="utf-8")
    assert "<!-- Copyright OASIS Open 2010 All Rights Reserved -->" in xsd
    assert (CAP_SOURCE / "schema" / "SOURCES.md").exists()
