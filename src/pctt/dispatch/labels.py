"""Drill labels: an exercise or a test must never look like a real warning.

Pure functions over the ``content`` dict a caller renders once per variant. Every text part of
an exercise/test broadcast is prefixed with a clear label in the variant's language, unless the
caller's text already starts with one.
"""

from __future__ import annotations

import copy
from typing import Any

from pctt.core.text import fold

LABELS: dict[str, dict[str, str]] = {
    "exercise": {"vi": "[DIỄN TẬP] ", "vi_ascii": "[DIEN TAP] ", "en": "[EXERCISE] "},
    "test": {"vi": "[THỬ NGHIỆM] ", "vi_ascii": "[THU NGHIEM] ", "en": "[TEST] "},
}


def label_for(status: str, variant: str) -> str:
    labels = LABELS.get(status)
    if labels is None:
        return ""
    if variant in labels:
        return labels[variant]
    return labels["en"] if variant.startswith("en") else labels["vi"]


def _has_label(text: str, label: str) -> bool:
    core = fold(label.strip(" []"))
    return core in fold(text[: len(label) + 20])


def prefix(text: str, label: str) -> str:
    if not label or _has_label(text, label):
        return text
    return label + text


def _label_value(value: Any, label: str, status: str) -> Any:
    if isinstance(value, str):
        return prefix(value, label)
    if isinstance(value, dict):
        out = dict(value)
        for key in ("subject", "text", "title", "body", "message"):
            if isinstance(out.get(key), str):
                out[key] = prefix(out[key], label)
        if isinstance(out.get("html"), str) and not _has_label(_strip_tags(out["html"]), label):
            out["html"] = f"<p><strong>{label.strip()}</strong></p>\n" + out["html"]
        out.setdefault("status", status)
        out.setdefault("label", label.strip())
        return out
    return value


def _strip_tags(html: str) -> str:
    import re

    return re.sub(r"<[^>]*>", " ", html).strip()


def label_content(content: dict[str, Any], status: str) -> dict[str, Any]:
    """A copy of *content* with every variant labelled for an exercise or test broadcast."""
    labelled = copy.deepcopy(content)
    if status not in LABELS:
        return labelled
    for channel, variants in labelled.items():
        if not isinstance(variants, dict):
            continue
        for variant, value in variants.items():
            variants[variant] = _label_value(value, label_for(status, variant), status)
        labelled[channel] = variants
    return labelled
