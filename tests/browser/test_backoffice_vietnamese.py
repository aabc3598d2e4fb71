"""Every back-office screen of every role, as a browser shows it, is in Vietnamese.

Each role signs in through the real form (with the second factor where the role needs one),
then the test walks the back office from the dashboard: the menu items of the rendered sidebar,
then the lists, add, edit, workflow and report screens linked from them, to a bounded depth,
skipping links that sign out or change data. On each screen it reads what a person sees — the
visible text, and the title, placeholder, aria-label and alt of visible elements, and the
window title — and fails on any of it that is a Django, Wagtail or pctt catalogue msgid with
no Vietnamese translation in effect, listing the offenders per URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_admin_map import _log_in
from tests.test_i18n_upstream import (
    _WAGTAIL_RENDITION_LEAK,
    SQLITE_PASS_ONLY,
    admin_links,
    report,
    untranslated_strings,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Per role: how far from the dashboard, and how many screens at most (one per kind of screen).
DEPTH = 2
LIMIT = 60

_SEEN_TEXT = """() => {
  const out = [document.title];
  const shown = (el) => el && el.checkVisibility({visibilityProperty: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(el.tagName)) continue;
    if (shown(el) && node.textContent.trim()) out.push(node.textContent);
  }
  for (const el of document.querySelectorAll("[title],[placeholder],[aria-label],[alt]")) {
    if (!shown(el)) continue;
    for (const name of ["title", "placeholder", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
  }
  for (const el of document.querySelectorAll("input[type=submit],input[type=button]")) {
    if (shown(el) && el.value) out.push(el.value);
  }
  return out;
}"""


def _generic(path: str) -> str:
    import re

    return re.sub(r"/\d+/", "/N/", path.split("?", 1)[0])


def _walk_back_office(page: Any, base: str) -> tuple[int, dict[str, list[str]]]:
    untranslated = untranslated_strings()
    offenders: dict[str, list[str]] = {}
    seen: set[str] = set()
    frontier = [("/admin/", 0)]
    visited = 0
    while frontier and visited < LIMIT:
        path, level = frontier.pop(0)
        if _generic(path) in seen:
            continue
        seen.add(_generic(path))
        response = page.goto(base + path)
        if response is None or response.status != 200:
            continue
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            continue
        page.wait_for_load_state("load")
        visited += 1
        found: list[str] = []
        for text in page.evaluate(_SEEN_TEXT):
            msgid = untranslated.find(text)
            if msgid and msgid not in found:
                found.append(msgid)
        if found:
            offenders[path] = found
        if level < DEPTH:
            frontier += [(link, level + 1) for link in admin_links(page.content(), base)]
    return visited, offenders


def _roles() -> list[str]:
    from pctt.demo.load import DEMO_USERS

    return [username for username, _org in DEMO_USERS.values()]


@SQLITE_PASS_ONLY
@_WAGTAIL_RENDITION_LEAK
def test_every_screen_each_role_sees_is_in_vietnamese(
    browser: Any, live_server: Any, wagtail_tree: object, full_demo: object, var_dir: Path
) -> None:
    """All roles in one test: a transactional test's flush would remove the Wagtail root page
    that the full demo needs, so the next role could not load it again."""
    logins = json.loads((var_dir / "demo-logins.json").read_text())
    offenders: dict[str, list[str]] = {}
    reached: dict[str, int] = {}
    for username in _roles():
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        _log_in(page, live_server.url, username, logins[username])
        visited, found = _walk_back_office(page, live_server.url)
        context.close()
        reached[username] = visited
        offenders.update({f"{username} {path}": texts for path, texts in found.items()})

    assert all(visited >= 2 for visited in reached.values()), reached
    assert offenders == {}, report(offenders)
