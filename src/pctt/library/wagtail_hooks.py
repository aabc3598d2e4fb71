"""Back office: the synonym sets search uses, editable by content reviewers.

Pages, workflow, revisions, comments and scheduling use Wagtail's own screens.
"""

from __future__ import annotations

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from pctt.library.models import SynonymSet


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    icon = "search"
    menu_label = "Synonyms"
    list_display = ["phrases", "note"]
    search_fields = ["phrases"]
    add_to_admin_menu = True


register_snippet(SynonymSetViewSet)
