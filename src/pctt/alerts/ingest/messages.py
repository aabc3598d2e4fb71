"""What went wrong with a feed, in words an operator reads: Vietnamese first, then English.

The codes come from `index.FeedError` and `fetch.FetchError`. Messages are stored on the feed
(`CapFeed.last_error`), so both languages are written there rather than one chosen per viewer.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from pctt.cap import Issue

MESSAGES: dict[str, Promise] = {
    "fetch.network": _("Could not reach the feed: {detail}"),
    "fetch.timeout": _("The feed did not answer in time ({detail})."),
    "fetch.status": _("The feed server answered with an error: {detail}"),
    "fetch.too_large": _("The response is too large ({detail}); it was not read."),
    "fetch.other_origin": _(
        "Refused: {detail} is not on the feed's own address (same-origin rule)."
    ),
    "fetch.redirects": _("Too many redirects ({detail})."),
    "feed.syntax": _("The feed is not well-formed XML: {detail}"),
    "feed.doctype": _("The feed declares a DOCTYPE; refused (XXE protection)."),
    "feed.too_large": _("The feed is too large ({detail}); it was not read."),
    "feed.not_a_feed": _("This is not an Atom or RSS feed: the root element is {detail}."),
    "feed.alert_outside_entry": _(
        "Invalid feed: a CAP alert sits outside any entry ({detail}); it was ignored."
    ),
    "feed.unexpected": _("Unexpected error while polling ({detail}); see the server log."),
    "summary": _("{rejected} message(s) rejected, {skipped} link(s) skipped:"),
    "entry.no_link": _("The entry has neither an embedded CAP alert nor a link."),
    "entry.too_long": _("The sender or identifier is too long to store ({detail})."),
}


def describe(code: str, detail: object = "", **values: object) -> str:
    """'Vietnamese / English' for a problem code (one language when both read the same)."""
    template = MESSAGES[code]
    with override("vi"):
        vietnamese = str(template).format(detail=detail, **values)
    with override("en"):
        english = str(template).format(detail=detail, **values)
    return vietnamese if vietnamese == english else f"{vietnamese} / {english}"


def describe_issue(issue: Issue) -> str:
    both = f"{issue.message_vi} / {issue.message_en}"
    return f"{issue.rule}: {both}"
