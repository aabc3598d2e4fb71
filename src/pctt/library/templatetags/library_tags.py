"""`{% load library_tags %}{% library_peak_guidance %}`: peak-mode guidance for the portal."""

from __future__ import annotations

from typing import Any

from django import template

from pctt.library.peak import peak_guidance

register = template.Library()


@register.inclusion_tag("library/_peak.html")
def library_peak_guidance() -> dict[str, Any]:
    return {"peak": peak_guidance()}
