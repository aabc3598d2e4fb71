"""Back-office lists of named things, in Vietnamese alphabetical order by default and when an
official sorts by the name column (pctt.formats.collation)."""

from __future__ import annotations

from typing import Any

from wagtail.admin.views.generic.models import IndexView

from pctt.formats.collation import ViOrder


class ViOrderedIndexView(IndexView):  # type: ignore[misc]
    default_ordering = "name"
    #: The text columns ordered the Vietnamese way.
    vi_ordered_fields: tuple[str, ...] = ("name",)

    def order_queryset(self, queryset: Any) -> Any:
        ordering = self.ordering
        if isinstance(ordering, str) and ordering.lstrip("-") in self.vi_ordered_fields:
            by = ViOrder(ordering.lstrip("-"))
            return queryset.order_by(by.desc() if ordering.startswith("-") else by.asc(), "pk")
        return super().order_queryset(queryset)
