# Stub for the compiled reader (src/pctt/cap/_fastread.c); see pctt.cap.speedups.
from lxml import etree

from pctt.cap.model import ValuePair
from pctt.cap.reader import Fields

def setup(element_type: type, pair_type: type, fields_type: type, /) -> None: ...
def fill(fields: Fields, element: etree._Element, schema_valid: bool, /) -> None: ...
def read(
    element: etree._Element, /
) -> tuple[
    dict[str, str],
    dict[str, list[str]],
    list[tuple[str, etree._Element]],
    dict[str, list[ValuePair]],
    list[etree._Element],
]: ...
def names() -> tuple[str, ...]: ...
def built_against() -> tuple[str, str]: ...
def child_line(element: etree._Element, name: str, index: int, /) -> int | None: ...
