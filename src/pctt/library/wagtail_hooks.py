"""Back office: the synonym sets search uses, editable by content reviewers, and a search
screen for editors (folded Vietnamese, drafts included, status filters).

Pages, workflow, revisions, comments and scheduling use Wagtail's own screens.
"""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from pctt.library.admin_search import LibrarySearchView
from pctt.library.models import SynonymSet


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    icon = "search"
    menu_label = _("Synonyms")
    list_display = ["phrases", "note"]
    search_fields = ["phrases"]
    add_to_admin_menu = True
    # The phrases' help is the model's; the note's is given here: no migration for a wording.
    panels = [
        FieldPanel("phrases"),
        FieldPanel(
            "note",
            help_text=_("Optional: why these phrases mean the same, for the next reviewer."),
        ),
    ]


register_snippet(SynonymSetViewSet)


@hooks.register("register_admin_urls")
def register_library_urls() -> list[Any]:
    return [path("library/search/", LibrarySearchView.as_view(), name="library_admin_search")]


class _EditorsItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return PagePermissionPolicy().user_has_any_permission(
            request.user, {"add", "change", "publish"}
        )


@hooks.register("register_admin_menu_item")
def register_library_search_menu() -> MenuItem:
    return _EditorsItem(
        _("Find library content"), reverse("library_admin_search"), icon_name="search", order=210
    )
