from __future__ import annotations

from typing import Any

import pytest

from pctt.core.nul import contains_nul, without_nul


@pytest.mark.parametrize(
    "data",
    ["\x00", {"a\x00": 1}, {"a": ["x", {"b": "y\x00"}]}, ("ok", "\x00")],
)
def test_a_nul_anywhere_in_parsed_json_is_found(data: Any) -> None:
    assert contains_nul(data)


@pytest.mark.parametrize("data", ["", "\\u0000", {"a": [1, 2.5, None, True]}, 0, None])
def test_clean_data_holds_no_nul(data: Any) -> None:
    assert not contains_nul(data)


def test_without_nul_keeps_everything_but_the_nul() -> None:
    assert without_nul("a\x00b\x00") == "a\ufffdb\ufffd"
    assert without_nul("Sông Hồng") == "Sông Hồng"
