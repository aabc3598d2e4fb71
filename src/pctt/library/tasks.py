"""Background work of the library. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_audio(page_id: int) -> bool:
    from wagtail.models import Page

    from pctt.library.audio import ensure_audio
    from pctt.library.models import LibraryPage

    page = Page.objects.live().filter(pk=page_id).first()
    specific = page.specific if page is not None else None
    if not isinstance(specific, LibraryPage):
        return False
    return ensure_audio(specific) is not None
