"""The operator guide (docs/huong-dan/) walked in the real back office, one test per page.

Each test does the page's task in chromium, step by step, and names the screenshot of each
step. The guide cannot drift: a step that no longer works fails here, an image a page shows
must be one this walk takes (and exist), and every image the walk takes must be shown.
Screenshots are written only with PCTT_GUIDE_SHOTS=1 (small palette PNGs, 1000×700):

    PCTT_GUIDE_SHOTS=1 .venv/bin/pytest tests/browser/test_guide_screenshots.py
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_library_editorial import _menu_button
from tests.library.conftest import library as library
from tests.library.conftest import media as media

# Each walk starts from a flushed database: Wagtail's tree is put back first.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_tree"),
]

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "huong-dan"
IMAGES = GUIDE / "anh"
WRITE = os.environ.get("PCTT_GUIDE_SHOTS", "") == "1"
VIEWPORT = {"width": 1000, "height": 700}
_IMAGE_REF = re.compile(r"!\[[^\]]*\]\(anh/([a-z0-9-]+\.png)\)")


class Walk:
    """The screenshots one guide page shows, taken in order."""

    def __init__(self, page_name: str) -> None:
        self.page_name = page_name
        self.names: list[str] = []

    def shot(self, page: Any, name: str, *, full: bool = False) -> None:
        filename = f"{name}.png"
        self.names.append(filename)
        if WRITE:
            IMAGES.mkdir(parents=True, exist_ok=True)
            # Transitions finished (a modal fading in is shot as it ends up).
            shot = page.screenshot(full_page=full, animations="disabled")
            _save_small(shot, IMAGES / filename)

    def check(self) -> None:
        text = (GUIDE / self.page_name).read_text(encoding="utf-8")
        shown = _IMAGE_REF.findall(text)
        assert shown, f"{self.page_name} shows no screenshot"
        missing = [n for n in shown if not (IMAGES / n).exists()]
        assert not missing, (
            f"{self.page_name}: images missing (run with PCTT_GUIDE_SHOTS=1): {missing}"
        )
        unknown = sorted(set(shown) - set(self.names))
        assert not unknown, f"{self.page_name} shows images no step takes: {unknown}"
        unshown = sorted(set(self.names) - set(shown))
        assert not unshown, f"{self.page_name} does not show steps it walks: {unshown}"


def _save_small(png: bytes, path: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, format="PNG", optimize=True)


@pytest.fixture
def context_for(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(locale="vi-VN", viewport=VIEWPORT)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _logins(var_dir: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((var_dir / "demo-logins.json").read_text())
    return data


def _signed_in(context_for: Any, base: str, username: str, password: str) -> Any:
    page = context_for()
    _sign_in(page, base, username, password)
    try:
        page.wait_for_url(f"{base}/admin/")
    except Exception as exc:  # say where sign-in stopped, not only that it timed out
        raise AssertionError(
            f"sign-in stopped at {page.url}: {page.inner_text('body')[:800]}"
        ) from exc
    return page


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    """The real sign-in form, with the second factor for approvers and administrators
    (pctt.accounts.testing.second_factor_code types what their authenticator app shows)."""
    from pctt.accounts.testing import second_factor_code

    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    code = second_factor_code(username)
    # At 1000×700 Wagtail's sign-in button can sit outside the viewport: submit with Enter.
    page.press("input[name=password]", "Enter")
    if code is not None:
        page.wait_for_url("**/admin/2fa/**")
        # A fresh code now: on a loaded machine the 30-second window may have turned.
        page.fill("input[name=otp_token]", second_factor_code(username) or code)
        page.press("input[name=otp_token]", "Enter")
        page.wait_for_url(lambda url: "/admin/2fa/" not in url)
        # The second-factor step may return to a background request it interrupted (the
        # icon sprite) instead of the home page: go home explicitly.
        if "/admin/sprite/" in page.url:
            page.goto(f"{base}/admin/")


def test_guide_set_up_a_new_ward(
    context_for: Any, live_server: Any, demo_ward: Any, var_dir: Path
) -> None:
    """thiet-lap-phuong.md: the administrator runs the wizard for a real ward."""
    from pctt.areas.actions import load_reference

    load_reference(only_provinces=["Tỉnh Lào Cai"])  # the demo loads its province only in tests
    walk = Walk("thiet-lap-phuong.md")
    base = live_server.url
    admin = _signed_in(context_for, base, "quantri", _logins(var_dir)["quantri"])
    walk.shot(admin, "thiet-lap-01-trang-chu")
    admin.click("#onboarding-missing a.button")
    admin.click("#ob-start")
    admin.wait_for_url(f"{base}/admin/thiet-lap/ward/")
    admin.fill("#ob-q", "cam duong")
    admin.wait_for_selector("#ob-hits[data-count='1']")
    walk.shot(admin, "thiet-lap-02-chon-phuong")
    admin.fill("#id_cap_sender", "ubnd.camduong@example.org")
    admin.click("#ob-choose")
    admin.wait_for_url(f"{base}/admin/thiet-lap/groups/")
    admin.wait_for_selector("#draw-map[data-ready='1']")
    for _zoom in range(3):  # from the province down to a neighbourhood
        admin.click(".leaflet-control-zoom-in")
    box = admin.locator("#draw-map").bounding_box()
    for dx, dy in ((0.35, 0.35), (0.6, 0.35), (0.6, 0.6), (0.35, 0.6)):
        admin.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    admin.wait_for_selector("#draw-map[data-corners='4']")
    admin.fill("#id_name", "Tổ dân phố 1")
    admin.fill("#id_households", "210")
    walk.shot(admin, "thiet-lap-03-ve-to-dan-pho")
    admin.click("#ob-draw-save")
    admin.wait_for_selector("#ob-existing li")
    admin.click("#ob-next")
    admin.wait_for_url(f"{base}/admin/thiet-lap/zones/")
    walk.shot(admin, "thiet-lap-04-vung-nguy-co")
    admin.click("button[value=skip]")
    admin.wait_for_url(f"{base}/admin/thiet-lap/organisations/")
    walk.shot(admin, "thiet-lap-05-to-chuc")
    admin.click("#ob-add-usual")
    admin.wait_for_selector("#ob-existing li")
    admin.click("#ob-next")
    admin.wait_for_url(f"{base}/admin/thiet-lap/users/")
    admin.fill("#id_full_name", "Nguyễn Văn An")
    admin.fill("#id_username", "nguyen.van.an")
    admin.select_option("#id_role", "alert_operator")
    admin.click("#ob-add-user-button")
    admin.wait_for_selector("#ob-new-password")
    walk.shot(admin, "thiet-lap-06-nguoi-dung")
    admin.click("#ob-next")
    admin.wait_for_url(f"{base}/admin/thiet-lap/channels/")
    admin.fill("#id_name", "email-ubnd")
    admin.fill("#id_host", "127.0.0.1")
    admin.fill("#id_port", "9")  # nothing listens: the test shows how a failure reads
    admin.fill("#id_sender", "ubnd.camduong@example.org")
    admin.click("#ob-add-channel-button")
    admin.fill("tr[data-provider='email-ubnd'] input[name=to]", "can.bo@example.org")
    admin.click("tr[data-provider='email-ubnd'] button[value=test]")
    admin.wait_for_selector("tr[data-provider='email-ubnd'] .ob-fail")
    walk.shot(admin, "thiet-lap-07-kenh-gui", full=True)
    admin.click("#ob-next")
    admin.wait_for_url(f"{base}/admin/thiet-lap/templates/")
    walk.shot(admin, "thiet-lap-08-mau-canh-bao")
    admin.click("#ob-reviewed")
    admin.wait_for_url(f"{base}/admin/thiet-lap/finish/")
    walk.shot(admin, "thiet-lap-09-hoan-tat")
    admin.click("#ob-finish")
    admin.wait_for_url(f"{base}/admin/")
    admin.wait_for_selector("#onboarding-missing [data-step='zones']")
    walk.shot(admin, "thiet-lap-10-con-thieu")
    walk.check()


def test_guide_issue_approve_and_cancel_a_warning(
    context_for: Any, live_server: Any, demo_ward: Any, var_dir: Path
) -> None:
    """phat-canh-bao.md: a drafter and a different approver, then a cancellation."""
    walk = Walk("phat-canh-bao.md")
    base, logins = live_server.url, _logins(var_dir)
    operator = _signed_in(context_for, base, "soancanhbao", logins["soancanhbao"])
    approver = _signed_in(context_for, base, "pheduyet", logins["pheduyet"])
    operator.goto(f"{base}/admin/warnings/new/")
    walk.shot(operator, "canh-bao-01-chon-mau")
    operator.click("text=Lũ trên sông — báo động II")
    operator.fill("#id_ph_station", "Bến Sông")
    operator.fill("#id_ph_water_level", "12,4")
    operator.fill("#id_ph_time", "7h30 ngày 15/9")
    operator.fill("#id_ph_areas", "tổ dân phố 1 và 6")
    operator.fill("#id_ph_shelter", "Trường Tiểu học Bến Sông")
    operator.wait_for_selector("#alert-map[data-features='12']")
    operator.check("label:has-text('Tổ dân phố 6') input")
    walk.shot(operator, "canh-bao-02-dien-thong-tin")
    operator.click("button:has-text('Tạo bản nháp')")
    operator.wait_for_selector("text=Nội dung sẽ được gửi")
    walk.shot(operator, "canh-bao-03-xem-truoc")
    operator.click("button:has-text('Gửi phê duyệt')")
    operator.wait_for_selector("text=Đang chờ người thứ hai")
    approver.goto(operator.url)
    walk.shot(approver, "canh-bao-04-phe-duyet")
    approver.click("button:has-text('Phê duyệt và gửi đến người dân')")
    approver.wait_for_selector("#alert-state:has-text('Đã phát')")
    walk.shot(approver, "canh-bao-05-da-phat")
    operator.reload()
    operator.click("button:has-text('Huỷ cảnh báo này')")
    operator.wait_for_selector("text=Huỷ cảnh báo:")
    walk.shot(operator, "canh-bao-06-huy")
    operator.click("button:has-text('Gửi phê duyệt')")
    operator.wait_for_selector("text=Đang chờ người thứ hai")
    approver.goto(operator.url)
    approver.click("button:has-text('Phê duyệt và gửi đến người dân')")
    approver.wait_for_selector("#alert-state:has-text('Đã phát')")
    portal = approver.context.new_page()
    portal.goto(f"{base}/")
    assert "Hiện không có cảnh báo nào" in portal.inner_text("main")
    walk.check()


def test_guide_answer_a_resident(
    context_for: Any, live_server: Any, demo_ward: Any, var_dir: Path, monkeypatch: Any
) -> None:
    """tra-loi-nguoi-dan.md: a question from the portal, answered by the triage officer."""
    from pctt.community import abuse

    monkeypatch.setattr(abuse, "MIN_FILL_SECONDS", 0.0)
    walk = Walk("tra-loi-nguoi-dan.md")
    base = live_server.url
    resident = context_for()
    resident.goto(f"{base}/y-kien/gui/")
    resident.check("input[name=kind][value=question]")
    resident.fill(
        "textarea[name=text]", "Khi có lũ thì nhà văn hoá tổ 3 có mở cửa cho dân trú không?"
    )
    resident.click("button[type=submit]")
    reference = resident.inner_text("#reference")
    officer = _signed_in(context_for, base, "tiepnhan", _logins(var_dir)["tiepnhan"])
    officer.goto(f"{base}/admin/community/")
    walk.shot(officer, "tra-loi-01-hang-doi")
    officer.click(f"tr[data-reference='{reference}'] a")
    officer.fill("#id_answer", "Có. Nhà văn hoá tổ 3 là điểm sơ tán, mở cửa khi có lệnh sơ tán.")
    walk.shot(officer, "tra-loi-02-viet-tra-loi")
    officer.click("button:has-text('Gửi trả lời')")
    officer.wait_for_selector("#answer")
    walk.shot(officer, "tra-loi-03-da-tra-loi")
    resident.goto(f"{base}/y-kien/tra-cuu/?ma={reference}")
    assert "điểm sơ tán" in resident.inner_text("#answer")
    walk.check()


def test_guide_correct_a_rumour(
    context_for: Any, live_server: Any, demo_ward: Any, var_dir: Path, monkeypatch: Any
) -> None:
    """cai-chinh-tin-don.md: a rumour checked and a correction published."""
    from pctt.community import abuse

    monkeypatch.setattr(abuse, "MIN_FILL_SECONDS", 0.0)
    walk = Walk("cai-chinh-tin-don.md")
    base = live_server.url
    resident = context_for()
    resident.goto(f"{base}/y-kien/gui/")
    resident.check("input[name=kind][value=claim]")
    resident.fill("textarea[name=text]", "Thủy điện xả lũ khẩn cấp đêm nay, cả phường sơ tán!")
    resident.click("button[type=submit]")
    reference = resident.inner_text("#reference")
    admin = _signed_in(context_for, base, "quantri", _logins(var_dir)["quantri"])
    admin.goto(f"{base}/admin/community/")
    admin.click(f"tr[data-reference='{reference}'] a")
    walk.shot(admin, "tin-don-01-phan-anh")
    admin.click("form:has(input[value=claim]) button")
    admin.click('a[href*="/community/claims/edit/"]')
    admin.select_option("select[name=verdict]", "false")
    admin.fill("input[name=title]", "Không có xả lũ khẩn cấp")
    admin.fill("textarea[name=facts]", "Đơn vị vận hành hồ chứa xác nhận không xả lũ.")
    admin.fill("input[name=short_text]", "PCTT: tin xa lu la SAI.")
    admin.click("#id_evidence-ADD")
    admin.select_option("select[name='evidence-0-kind']", "official")
    admin.fill("textarea[name='evidence-0-description']", "Công văn của đơn vị vận hành")
    walk.shot(admin, "tin-don-02-ket-luan")
    admin.click("footer button[type=submit].button-longrunning")
    assert admin.locator("ul.error").count() == 0, admin.inner_text("main")[:1500]
    walk.shot(admin, "tin-don-03-cong-bo")
    admin.click("form:has(input[value=publish]) button")
    assert "Không có xả lũ khẩn cấp" in admin.inner_text("main")
    resident.goto(f"{base}/y-kien/tin-don/")
    resident.click("text=Không có xả lũ khẩn cấp")
    walk.shot(resident, "tin-don-04-tren-cong")
    walk.check()


def test_guide_log_an_activity(
    context_for: Any, live_server: Any, demo_ward: Any, var_dir: Path
) -> None:
    """ghi-hoat-dong.md: an organisation's focal point records a door-to-door visit."""
    from pctt.plans import demo
    from pctt.plans.models import Activity

    demo.load(demo_ward)
    walk = Walk("ghi-hoat-dong.md")
    base = live_server.url
    focal = _signed_in(context_for, base, "daumoi.phunu", _logins(var_dir)["daumoi.phunu"])
    focal.goto(f"{base}/ke-hoach/hoat-dong/moi/")
    before = Activity.objects.count()
    focal.select_option("select[name=kind]", "door_to_door")
    focal.check("input[name=groups] >> nth=0")
    focal.check("input[name=themes][value=C4]")
    focal.fill("input[name=participants]", "14")
    walk.shot(focal, "hoat-dong-01-nhap", full=True)
    focal.click("button[type=submit]")
    focal.wait_for_selector("#net:not(:empty)")  # the server's answer, shown to the user
    focal.locator("#queue li").first.wait_for(state="detached")
    assert Activity.objects.count() == before + 1
    focal.goto(f"{base}/ke-hoach/hoat-dong/")  # the organisation's recent activities
    walk.shot(focal, "hoat-dong-02-da-ghi")
    walk.check()


def test_guide_make_the_monthly_report(
    context_for: Any, live_server: Any, demo_ward: Any, var_dir: Path
) -> None:
    """bao-cao-thang.md: the People's Committee's monthly report, from figures to .docx."""
    from pctt.plans import demo

    demo.load(demo_ward)
    walk = Walk("bao-cao-thang.md")
    base = live_server.url
    admin = _signed_in(context_for, base, "quantri", _logins(var_dir)["quantri"])
    admin.goto(f"{base}/admin/plans/reports/")
    walk.shot(admin, "bao-cao-01-tao")
    admin.click("#new-report button[type=submit]")
    admin.wait_for_selector("textarea#recipients")
    walk.shot(admin, "bao-cao-02-noi-dung")
    admin.fill("#signer", "Nguyễn Văn Bình")
    admin.click("form:has(textarea#recipients) button[type=submit]")
    admin.wait_for_load_state()
    walk.shot(admin, "bao-cao-03-da-luu")
    assert admin.locator("#signer").input_value() == "Nguyễn Văn Bình"
    walk.check()


def test_guide_write_and_approve_content(
    context_for: Any, live_server: Any, library: Any, var_dir: Path
) -> None:
    """viet-duyet-noi-dung.md: an editor writes a Q&A entry; the content reviewer approves
    both workflow steps; it goes live on the portal."""
    from django.contrib.contenttypes.models import ContentType

    from pctt.library.models import QuestionPage, Theme

    walk = Walk("viet-duyet-noi-dung.md")
    base, logins = live_server.url, _logins(var_dir)
    theme = Theme.objects.get(code="C4")
    kind = ContentType.objects.get_for_model(QuestionPage)
    editor = _signed_in(context_for, base, "bientap", logins["bientap"])
    editor.goto(f"{base}/admin/pages/{library.pk}/add_subpage/")
    walk.shot(editor, "noi-dung-01-chon-loai")
    editor.goto(f"{base}/admin/pages/add/{kind.app_label}/{kind.model}/{library.pk}/")
    editor.fill("#id_title", "Chuột tràn vào nhà sau lũ")
    editor.fill("#id_question", "Sau lũ chuột tràn vào nhà thì làm sao?")
    answer = editor.locator("[data-contentpath='answer'] [contenteditable='true']")
    answer.click()
    answer.type("Đặt bẫy, giữ thức ăn trong hộp kín và dọn rác quanh nhà.")
    expect(editor.locator("input[name=answer]")).to_have_value(re.compile("Đặt bẫy"))
    editor.check(f"input[name=themes][value='{theme.pk}']")
    editor.evaluate("window.scrollTo(0, 0)")
    walk.shot(editor, "noi-dung-02-viet")
    _menu_button(editor, "button[name='action-submit']")
    editor.wait_for_url(f"{base}/admin/pages/{library.pk}/")
    walk.shot(editor, "noi-dung-03-da-gui")
    draft = QuestionPage.objects.get(title="Chuột tràn vào nhà sau lũ")
    reviewer = _signed_in(context_for, base, "duyetnoidung", logins["duyetnoidung"])
    approve = "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    for step in (1, 2):  # the organisation's review, then the Party Building Board's
        reviewer.goto(f"{base}/admin/pages/{draft.pk}/edit/")
        if step == 1:  # the footer's menu open, its "approve" in view
            reviewer.click("footer [data-w-dropdown-target='toggle']")
            walk.shot(reviewer, "noi-dung-04-duyet")
        _menu_button(reviewer, approve)
    draft.refresh_from_db()
    assert draft.live
    resident = context_for()
    resident.goto(f"{base}/thu-vien/tim-kiem/?q=chuot+vao+nha")
    resident.click("text=Chuột tràn vào nhà sau lũ")
    assert "Đặt bẫy" in resident.inner_text("main")
    walk.shot(resident, "noi-dung-05-tren-cong")
    walk.check()


def test_guide_build_a_loudspeaker_programme(
    context_for: Any, live_server: Any, demo_ward: Any, library: Any, var_dir: Path
) -> None:
    """xay-dung-chuong-trinh-loa.md: the radio officer builds a programme from the library's
    scripts, looks at the clusters' map and makes an announcement now."""
    from pctt.dispatch.models import LoudspeakerCluster
    from pctt.loudspeakers import demo
    from pctt.loudspeakers.models import DeviceCommand, Programme

    demo.load(demo_ward)
    walk = Walk("xay-dung-chuong-trinh-loa.md")
    base = live_server.url
    cluster = LoudspeakerCluster.objects.filter(enabled=True).order_by("name").first()
    assert cluster is not None
    officer = _signed_in(context_for, base, "truyenthanh", _logins(var_dir)["truyenthanh"])
    officer.goto(f"{base}/admin/loudspeakers/programmes/")
    walk.shot(officer, "loa-01-chuong-trinh")
    officer.goto(f"{base}/admin/loudspeakers/programmes/new/")
    officer.fill("#id_name", "Phát thanh phòng chống đuối nước mùa hè")
    officer.check(f"input[name=clusters][value='{cluster.pk}']")
    officer.fill("#id_items-0-slot", "05:30")
    officer.select_option("#id_items-0-kind", "script")
    officer.click("#id_items-0-script-chooser button[data-chooser-action-choose]")
    officer.wait_for_selector(".modal a.choose-page")
    walk.shot(officer, "loa-02-chon-bai")
    officer.click(".modal a.choose-page >> nth=0")
    officer.wait_for_selector(".modal", state="hidden")
    walk.shot(officer, "loa-03-soan", full=True)
    officer.click("footer button[type=submit].button-longrunning")
    officer.wait_for_url(f"{base}/admin/loudspeakers/programmes/")
    assert Programme.objects.filter(name="Phát thanh phòng chống đuối nước mùa hè").exists()
    walk.shot(officer, "loa-04-da-luu")
    officer.goto(f"{base}/admin/loudspeakers/")
    officer.wait_for_selector("svg.loudspeaker-map")
    walk.shot(officer, "loa-05-ban-do")
    officer.goto(f"{base}/admin/loudspeakers/announce/")
    officer.fill("textarea[name=text]", "Chiều nay 15 giờ họp tổ dân phố tại nhà văn hoá.")
    officer.check(f"input[name=clusters][value='{cluster.pk}']")
    walk.shot(officer, "loa-06-phat-ngay", full=True)
    officer.click("form.announce button[type=submit]")
    officer.wait_for_url(f"{base}/admin/loudspeakers/announce/")
    assert DeviceCommand.objects.filter(kind="phat").count() == 1
    walk.shot(officer, "loa-07-da-phat")
    walk.check()
