"""Every field an official fills in the back office has a short help text (issue #13 point 6),
and the forms' own refusals say what to do.

The forms are discovered, not listed: every form class in `pctt.<app>.forms` and the form of
every registered Wagtail view set of ours, walked through its panels (inline panels included),
since Wagtail shows a panel's help before the field's. A new form or field without help fails
here with its name. What needs no help is excluded below, each with its reason.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

import pctt

#: Forms residents fill on the public site: their guidance is the page around the form.
PUBLIC_FORMS = {
    "pctt.community.forms.PublicSubmissionForm",
    "pctt.community.forms.StatusLookupForm",
}

#: Fields nobody types into. `<form or model>.<field>`, or `*.<field>` for every form; hidden
#: inputs (CSRF, coordinates, map drawings kept in hidden fields) are excluded by their widget.
TECHNICAL_FIELDS = {
    # The triage queue's bulk bar: the ticked rows and the pressed button.
    "pctt.community.forms.BulkForm.ids",
    "pctt.community.forms.BulkForm.action",
    # Wagtail's inline-panel bookkeeping.
    "*.ORDER",
    "*.DELETE",
    "*.id",
}

#: Forms and models whose help is still to be written, in files this check's change did not
#: own. They are skipped; `test_the_list_of_forms_still_without_help_is_not_stale` fails as soon
#: as one of them has help everywhere, so the entry is removed rather than forgotten.
HELP_STILL_TO_WRITE: set[str] = set()

#: Arguments of forms' constructors, by parameter name: a form with a new required parameter
#: fails until its value is added here (or in the test's `extra`), never skipped silently.
ARGUMENTS: dict[str, Any] = {"ids": [], "zone": False}

#: "Short": one sentence; the longest help written before this check is about 200 characters.
MAX_HELP_CHARS = 200


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _form_modules() -> Iterator[Any]:
    for app in pkgutil.iter_modules(pctt.__path__):
        try:
            yield importlib.import_module(f"pctt.{app.name}.forms")
        except ModuleNotFoundError as exc:
            if exc.name != f"pctt.{app.name}.forms":
                raise


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module in _form_modules():
        for _attr, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and not cls.__name__.startswith("_")
                # A Wagtail base form without a model is checked with its view set's panels.
                and not (issubclass(cls, forms.ModelForm) and cls._meta.model is None)
                and _name(cls) not in PUBLIC_FORMS
            ):
                found.append(cls)
    return found


def _build(cls: type[forms.BaseForm], extra: dict[str, Any]) -> forms.BaseForm:
    values = {**ARGUMENTS, **extra}
    kwargs = {}
    for param in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is not param.empty:
            continue
        assert param.name in values, f"{_name(cls)} needs {param.name!r}: add it to ARGUMENTS"
        kwargs[param.name] = values[param.name]
    return cls(**kwargs)


def _is_technical(owner: str, name: str, field: forms.Field) -> bool:
    if field.widget.is_hidden:
        return True
    return f"{owner}.{name}" in TECHNICAL_FIELDS or f"*.{name}" in TECHNICAL_FIELDS


def _helps_of_form(owner: str, form: forms.BaseForm) -> Iterator[tuple[str, str, str]]:
    """(owner, field, help) for every field someone fills."""
    for name, field in form.fields.items():
        if not _is_technical(owner, name, field):
            yield owner, name, str(field.help_text or "").strip()


def _walk(bound: Any) -> Iterator[Any]:
    yield bound
    for child in getattr(bound, "children", None) or []:
        yield from _walk(child)
    empty = getattr(bound, "empty_child", None)  # an inline panel's blank row
    if empty is not None:
        yield from _walk(empty)


def _helps_of_panels(bound_panel: Any) -> Iterator[tuple[str, str, str]]:
    for bound in _walk(bound_panel):
        field = getattr(bound, "bound_field", None)
        if field is None or getattr(bound, "read_only", False):
            continue
        owner = _name(bound.panel.model)  # the inline row's own model for inline panels
        if not _is_technical(owner, field.name, field.field):
            yield owner, field.name, str(bound.help_text or "").strip()


def _pctt_viewsets(official: Any) -> list[Any]:
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.model import ModelViewSet
    from wagtail.permissions import policy_registry

    reverse("wagtailadmin_home")  # loads the admin's URLs, which registers the view sets
    found = []
    for viewset in viewsets.viewsets:
        if not isinstance(viewset, ModelViewSet):
            continue
        if not viewset.model.__module__.startswith("pctt."):
            continue
        policy = policy_registry.get_by_type(viewset.model)
        if not (
            policy.user_has_permission(official, "add")
            or policy.user_has_permission(official, "change")
        ):
            continue  # read-only (inspect and list) view sets show no form (admin_policies)
        try:
            viewset.get_form_class()
        except ImproperlyConfigured:
            continue  # read-only by having no form fields at all
        found.append(viewset)
    return found


@pytest.fixture
def ward(db: None) -> Any:
    from pctt.areas.models import AdminUnit

    return AdminUnit.objects.create(code="99999", name="Phường Thử", level="commune")


@pytest.fixture
def official(db: None) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("helptext-admin", "a@example.org", "x")


@pytest.fixture
def every_help(ward: Any, official: Any) -> list[tuple[str, str, str]]:
    """(form or model, field, help text) of every field officials fill, forms and view sets."""
    from pctt.alerts.models import WarningTemplate

    extra = {"ward": ward, "template": WarningTemplate(headline_vi="{station} {water_level}")}
    found: list[tuple[str, str, str]] = []
    for cls in _form_classes():
        found += _helps_of_form(_name(cls), _build(cls, extra))
        if "zone" in inspect.signature(cls.__init__).parameters:  # the zone variant's fields
            found += _helps_of_form(_name(cls), _build(cls, {**extra, "zone": True}))
    request = RequestFactory().get("/")
    request.user = official
    for viewset in _pctt_viewsets(official):
        instance = viewset.model()
        form_class = viewset.get_form_class()
        kwargs: dict[str, Any] = {"instance": instance}
        if hasattr(form_class, "formsets"):  # Wagtail's form: permissions need the user
            kwargs["for_user"] = official
        form = form_class(**kwargs)
        handler = viewset._edit_handler
        if handler is None:
            found += _helps_of_form(_name(viewset.model), form)
        else:
            bound = handler.get_bound_panel(instance=instance, request=request, form=form)
            found += _helps_of_panels(bound)
    return found


def test_the_forms_and_view_sets_of_every_app_are_discovered(
    every_help: list[tuple[str, str, str]],
) -> None:
    owners = {owner.rsplit(".", 1)[-1] for owner, _f, _h in every_help}
    # A few of each kind, so a broken discovery cannot pass as "nothing missing".
    assert {"OfficialEntryForm", "ThresholdForm", "RiskLevelForm", "AnnouncementForm"} <= owners
    assert {"WardForm", "DrawForm", "SmtpForm", "DeviceForm"} <= owners
    assert {"Plan", "PeriodicTask", "Claim", "Evidence", "Programme", "ProgrammeItem"} <= owners
    assert {"ChannelProvider", "LoudspeakerCluster", "Subscriber"} <= owners
    assert not {"PublicSubmissionForm", "Activity"} & owners  # public; read-only view set


def test_every_field_officials_fill_has_a_help_text(
    every_help: list[tuple[str, str, str]],
) -> None:
    missing = sorted(
        {
            f"{owner}.{field}"
            for owner, field, help_text in every_help
            if not help_text and owner not in HELP_STILL_TO_WRITE
        }
    )
    assert not missing, "fields without help text:\n" + "\n".join(missing)


def test_help_texts_are_short(every_help: list[tuple[str, str, str]]) -> None:
    long = sorted(
        f"{owner}.{field} ({len(help_text)})"
        for owner, field, help_text in every_help
        if len(help_text) > MAX_HELP_CHARS
    )
    assert not long, "help texts longer than one short sentence:\n" + "\n".join(long)


def test_the_list_of_forms_still_without_help_is_not_stale(
    every_help: list[tuple[str, str, str]],
) -> None:
    known = {owner for owner, _f, _h in every_help}
    lacking = {owner for owner, _f, help_text in every_help if not help_text}
    assert known >= HELP_STILL_TO_WRITE, HELP_STILL_TO_WRITE - known
    assert not HELP_STILL_TO_WRITE - lacking, (
        "these now have help everywhere: remove them from HELP_STILL_TO_WRITE: "
        f"{sorted(HELP_STILL_TO_WRITE - lacking)}"
    )


def test_every_form_argument_is_needed() -> None:
    """A value left in ARGUMENTS for a form that no longer exists hides nothing, but misleads."""
    wanted = {
        name for cls in _form_classes() for name in inspect.signature(cls.__init__).parameters
    }
    assert set(ARGUMENTS) <= wanted


# The refusals of the forms' own checks say what to do; codes, not words, are asserted, since
# the Vietnamese catalogue is compiled after this change.


def test_an_entered_contact_without_consent_asks_for_the_consent(ward: Any) -> None:
    from pctt.community.forms import OfficialEntryForm

    form = OfficialEntryForm(
        {
            "source": "phone_call",
            "kind": "question",
            "text": "Khi nào nước rút?",
            "answer_channel": "sms",
            "contact": "0912 345 678",
        }
    )
    assert not form.is_valid()
    assert form.has_error("consent", "consent_needed")


@pytest.mark.parametrize("geometry", ["[1, 2, 3]", '"Polygon"', "null", "42"])
def test_an_outline_that_is_not_a_shape_asks_to_draw_it_again(geometry: str) -> None:
    from pctt.onboarding.forms import DrawForm

    form = DrawForm({"name": "Tổ dân phố 3", "geometry": geometry})
    assert not form.is_valid()
    assert form.has_error("geometry", "not_a_shape")


@pytest.mark.parametrize("geometry", ["{not json", "\x00", "[" * 5000])
def test_an_outline_that_is_not_geojson_asks_to_draw_it_again(geometry: str) -> None:
    from pctt.onboarding.forms import DrawForm

    form = DrawForm({"name": "Tổ dân phố 3", "geometry": geometry})
    assert not form.is_valid()
    assert form.has_error("geometry")


def test_a_programme_ending_before_it_starts_asks_for_a_later_end(official: Any) -> None:
    from pctt.loudspeakers.wagtail_hooks import programme_viewset

    form_class = programme_viewset.get_form_class()
    form = form_class(
        {
            "name": "Bản tin sáng",
            "starts_on": "15/09/2026",
            "ends_on": "01/09/2026",
            "active": "on",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        },
        for_user=official,
    )
    assert not form.is_valid()
    assert form.has_error("ends_on", "ends_before_start")


# Pages that render their own inputs instead of Wagtail's panels: each field's help line is
# shown and tied to its input with aria-describedby, so a screen reader reads it too.


class _Page(HTMLParser):
    """The controls of a page, each with the ids that describe it (its own, and those of the
    fieldset or details around it), and the text of every element with an id."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.controls: dict[str, set[str]] = {}
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in ("input", "select", "textarea") and found.get("type") not in (
            "hidden",
            "submit",
        ):
            ids = set(found.get("aria-describedby", "").split())
            for _tag, around in self._open:
                if _tag in ("fieldset", "details"):
                    ids |= set(around.get("aria-describedby", "").split())
            self.controls.setdefault(found.get("name", ""), set()).update(ids)
        if "id" in found:
            self.texts.setdefault(found["id"], "")
        if tag not in self.VOID:
            self._open.append((tag, found))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, found in self._open:
            if "id" in found:
                self.texts[found["id"]] += data


def _undescribed(html: str, names: list[str]) -> list[str]:
    """The named controls with no visible help line tied to them."""
    page = _Page(html)
    missing = []
    for name in names:
        helps = [page.texts.get(i, "").strip() for i in page.controls.get(name, set())]
        if name not in page.controls or not any(helps):
            missing.append(name)
    return missing


ACTIVITY_FIELDS = [
    "kind",
    "held_on",
    "groups",
    "themes",
    "form",
    "participants",
    "women",
    "ethnic_minority",
    "disabled",
    "elderly",
    "youth",
    "copies",
    "place",
    "description",
    "materials",
]


def _activity_context() -> dict[str, Any]:
    group = SimpleNamespace(pk=1, name="Tổ dân phố 1")
    clause = SimpleNamespace(pk=1, code="N1", label="Bão", text="Phòng chống bão")
    return {
        "organisations": [SimpleNamespace(pk=1, name="Hội Liên hiệp Phụ nữ phường")],
        "plan": object(),
        "kinds": [("training", "tập huấn")],
        "groups": [group],
        "themes": [clause],
        "forms": [SimpleNamespace(pk=2, code="F1", label="Loa")],
        "materials": [SimpleNamespace(pk=3, title="Khi có lũ")],
        "today": date(2026, 9, 15),
    }


def test_the_activity_entry_page_ties_a_help_line_to_every_field(db: None) -> None:
    html = render_to_string("plans/entry.html", _activity_context())
    assert not _undescribed(html, ["organisation", *ACTIVITY_FIELDS, "photos"])


def test_the_activity_correction_page_ties_a_help_line_to_every_field(db: None) -> None:
    activity = SimpleNamespace(
        pk=1,
        organisation="Hội Liên hiệp Phụ nữ phường",
        kind="training",
        held_on=date(2026, 9, 1),
        form_id=None,
        participants=12,
        **dict.fromkeys(["women", "ethnic_minority", "disabled", "elderly", "youth"], 0),
        copies=0,
        place="",
        description="",
    )
    context = {
        **_activity_context(),
        "activity": activity,
        "chosen_groups": set(),
        "chosen_themes": set(),
        "chosen_materials": set(),
        "photos": [],
        "max_photos": 6,
    }
    html = render_to_string("plans/edit.html", context)
    assert not _undescribed(html, [*ACTIVITY_FIELDS, "photo"])


def test_the_report_page_ties_a_help_line_to_every_section(ward: Any, official: Any) -> None:
    from pctt.plans import reporting
    from pctt.plans.models import Organisation, Plan, Report

    plan = Plan.objects.create(ward=ward, number="1/KH-UBND", title="Kế hoạch thử")
    report = Report.objects.create(
        plan=plan,
        organisation=Organisation.objects.create(ward=ward, name="UBND phường", kind="other"),
        period="month",
        starts_on=date(2026, 8, 1),
        ends_on=date(2026, 8, 31),
        layout="state",
        issuing_body="UBND phường",
        number=1,
        place="Thử",
        dated=date(2026, 9, 1),
        title="Kết quả tháng 8",
        signature_authority="TM. UBND",
        signature_title="Chủ tịch",
    )
    client = Client()
    client.force_login(official)
    response = client.get(reverse("plans_report", args=[report.pk]))
    assert response.status_code == 200
    sections = [key for key, _heading in reporting.NARRATIVE]
    assert not _undescribed(response.content.decode(), [*sections, "recipients", "signer"])


def test_the_answer_box_shows_its_help_and_is_tied_to_it(official: Any) -> None:
    from pctt.community.models import Submission

    submission = Submission.objects.create(
        kind="question",
        source="portal",
        text="Khi nào nước rút?",
        due_at=timezone.now() + timedelta(days=1),
    )
    client = Client()
    client.force_login(official)
    response = client.get(reverse("community_detail", args=[submission.pk]))
    assert response.status_code == 200
    assert not _undescribed(response.content.decode(), ["answer"])


def test_the_area_upload_and_drawing_fields_show_their_help_tied_to_them(ward: Any) -> None:
    from pctt.onboarding.forms import DrawForm, UploadForm

    html = render_to_string(
        "onboarding/_areas.html",
        {"draw_form": DrawForm(), "upload_form": UploadForm(), "ward": ward, "zone": False},
    )
    names = [n for n, f in DrawForm().fields.items() if not f.widget.is_hidden]
    assert not _undescribed(html, ["file", *names])


def test_each_channel_test_box_says_what_to_type(official: Any, ward: Any) -> None:
    from pctt.dispatch.models import ChannelProvider
    from pctt.onboarding import actions

    actions.choose_ward(actions.state_for(official), ward, user=official)
    for kind in ("smtp", "sms_http", "mqtt"):
        ChannelProvider.objects.create(
            name=f"thu-{kind}".replace("_", "-"), channel=1, kind=kind, options={}
        )
    client = Client()
    client.force_login(official)
    response = client.get(reverse("onboarding_step", args=["channels"]))
    assert response.status_code == 200
    page = _Page(response.content.decode())
    # Three rows, one box each: every box is described by its own, non-empty line.
    helps = [page.texts.get(i, "").strip() for i in page.controls["to"]]
    assert len(helps) == 3
    assert all(helps)
