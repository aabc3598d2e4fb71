"""Every back-office screen that adds or edits our models writes the audit log, with
before/after, the user and the address: found by walking Wagtail's view set registry, so a
screen added later is checked without being listed here."""

from __future__ import annotations

import datetime
import importlib
import itertools
import json
from typing import Any

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from pctt.accounts import admin_audit
from pctt.accounts.models import AuditEntry
from pctt.dispatch.models import Subscriber

pytestmark = pytest.mark.django_db

IP = "198.51.100.23"
_counter = itertools.count(1)

#: Values the generic filler cannot guess (a model's own validation), by model label.
ADD_DATA: dict[str, dict[str, Any]] = {
    "dispatch.Subscriber": {"phone": "0912345678", "email": "audit.person@mail.example.vn"},
    "dispatch.ChannelProvider": {"options": "{}", "kind": "console"},
    "alerts.CapFeed": {"url": "https://feeds.example.vn/cap.xml"},
    "loudspeakers.Programme": {  # one item at least: a relay needs no other object
        "items-0-kind": "relay",
        "items-0-stream_url": "https://radio.example.vn/live",
        "items-0-relay_minutes": "30",
    },
}

#: Add screens that cannot create an object: their form leaves out a required column (a
#: bug of that screen, reported). Their edit screen is still checked, on a demo object.
ADD_BROKEN: dict[str, str] = {}


def _admin_viewsets() -> list[ModelViewSet]:
    reverse("wagtailadmin_home")  # loads the admin URLs, which fills the registry
    found = [
        vs
        for vs in viewsets.viewsets
        if isinstance(vs, ModelViewSet) and vs.model.__module__.startswith("pctt.")
    ]
    assert len(found) >= 10, "the registry was not filled"
    return found


def _synthesise(name: str, field: Any) -> Any:
    """A valid value for a required field that has no initial value."""
    n = next(_counter)
    spec: Any = field  # read through Any: the form fields' stubs are narrower than Django
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [spec.queryset.order_by("pk").values_list("pk", flat=True)[0]]
    if isinstance(field, forms.ModelChoiceField):
        return spec.queryset.order_by("pk").values_list("pk", flat=True)[0]
    if isinstance(field, forms.ChoiceField):
        first = next(str(v) for v, _ in spec.choices if v not in ("", None))
        return [first] if isinstance(field, forms.MultipleChoiceField) else first
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        return str(max(int(spec.min_value or 1), 1))
    if isinstance(field, forms.DateTimeField):
        return "2025-06-01 08:00"
    if isinstance(field, forms.DateField):
        return "2025-06-01"
    if isinstance(field, forms.TimeField):
        return "08:00"
    if isinstance(field, forms.EmailField):
        return f"audit{n}@mail.example.vn"
    if isinstance(field, forms.URLField):
        return f"https://example.vn/{n}"
    if isinstance(field, forms.JSONField):
        return "{}"
    if isinstance(field, forms.SlugField):
        return f"audit-test-{n}"
    max_length = getattr(field, "max_length", None) or 40
    return f"Audit {n}"[:max_length]


def _posted(bound: forms.BoundField) -> Any:
    """What the browser would send back for *bound*'s current value (None: leave it out)."""
    field, value = bound.field, bound.value()
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if value in (None, "", []):
        return None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        formatted = field.widget.format_value(value)
        return formatted if isinstance(formatted, str) else str(value)
    return str(value)


def _form_data(form: forms.BaseForm, label: str, *, fill: bool) -> dict[str, Any]:
    """POST data for *form* as it stands, required blanks filled when *fill*; inline panels'
    forms (Wagtail's formsets) included, by their prefixed names."""
    data: dict[str, Any] = {}
    overrides = ADD_DATA.get(label, {}) if fill else {}
    for bound in form:
        name = bound.html_name
        if name in overrides:
            data[name] = overrides[name]
            continue
        value = _posted(bound)
        if value is None and fill and bound.field.required:
            value = _synthesise(name, bound.field)
        if value is not None:
            data[name] = value
    for formset in getattr(form, "formsets", {}).values():
        for _name, bound in formset.management_form._bound_items():
            value = bound.value()
            data[bound.html_name] = "0" if value is None else str(value)
        for child in formset.forms:
            data.update(_form_data(child, label, fill=fill))
    return data


def _change_one(form: forms.BaseForm, data: dict[str, Any]) -> str:
    """Change one plain field of an edit form; returns its name."""
    for name, bound in form._bound_items():  # type: ignore[attr-defined]
        field = bound.field
        if bound.is_hidden or isinstance(field, (forms.ChoiceField, forms.JSONField)):
            continue
        if type(field) is forms.CharField and name not in ("phone", "slug"):
            data[name] = f"{data.get(name, '')} sửa".strip()
            return name
        if isinstance(field, forms.IntegerField) and name in data:
            data[name] = str(int(data[name]) + 1)
            return name
    for name, bound in form._bound_items():  # type: ignore[attr-defined]
        if isinstance(bound.field, forms.BooleanField):
            if data.pop(name, None) is None:
                data[name] = "on"
            return name
    raise AssertionError(f"no field to change in {form.__class__.__name__}")


def _sides(entry: AuditEntry) -> tuple[dict[str, Any], dict[str, Any]]:
    return entry.before or {}, entry.after or {}


def _form(form_class: type[forms.BaseForm], **kwargs: Any) -> forms.BaseForm:
    if issubclass(form_class, WagtailAdminModelForm):
        kwargs["for_user"] = None
    return form_class(**kwargs)


def _errors(response: Any) -> str:
    context = response.context or {}
    form = context.get("form")
    return json.dumps(form.errors if form is not None else {}, ensure_ascii=False, default=str)


@pytest.fixture
def admin_client(db: None) -> Client:
    user = get_user_model().objects.create_superuser("audit_admin", "", "x-long-passphrase-9")
    client = Client(REMOTE_ADDR=IP)
    client.force_login(user)
    return client


def _demo_object(model: type[models.Model], ward: object) -> models.Model:
    """An object to edit when the add screen cannot make one: the app's demo content."""
    if not model._base_manager.exists():
        importlib.import_module(f"pctt.{model._meta.app_label}.demo").load(ward)
    instance = model._base_manager.order_by("pk").first()
    assert instance is not None, "no add screen and no demo object to edit"
    return instance


def _check_add(client: Client, vs: ModelViewSet) -> AuditEntry:
    label = vs.model._meta.label
    form = _form(vs.get_form_class())
    response = client.post(reverse(vs.get_url_name("add")), _form_data(form, label, fill=True))
    assert response.status_code == 302, f"add failed: {_errors(response)}"
    created = AuditEntry.objects.filter(action=admin_audit.CREATE, object_type=label).first()
    assert created is not None, "an add through the admin wrote no audit entry"
    assert created.after and created.before is None and created.ip == IP
    assert created.actor_label == "audit_admin"
    return created


def _check_edit(client: Client, vs: ModelViewSet, instance: models.Model) -> None:
    label = vs.model._meta.label
    form = _form(vs.get_form_class(for_update=True), instance=instance)
    data = _form_data(form, label, fill=False)
    changed = _change_one(form, data)
    response = client.post(reverse(vs.get_url_name("edit"), args=[instance.pk]), data)
    assert response.status_code == 302, f"edit failed: {_errors(response)}"
    edited = AuditEntry.objects.filter(action=admin_audit.EDIT, object_type=label).first()
    assert edited is not None, "an edit through the admin wrote no audit entry"
    assert edited.object_id == str(instance.pk) and edited.ip == IP
    before, after = _sides(edited)
    assert changed in before and changed in after, changed
    assert before[changed] != after[changed]


def test_every_admin_add_and_edit_of_our_models_is_audited_with_before_and_after(
    demo_ward: object, admin_client: Client
) -> None:
    checked: dict[str, str] = {}
    problems: list[str] = []
    admin = get_user_model().objects.get(pk=admin_client.session["_auth_user_id"])
    for vs in _admin_viewsets():
        label = vs.model._meta.label
        policy = policy_registry.get_by_type(vs.model)
        try:
            reverse(vs.get_url_name("edit"), args=[1])
        except NoReverseMatch:
            checked[label] = "read-only"  # no add or edit screen: nothing to audit
            continue
        if not policy.user_has_permission(admin, "change"):
            checked[label] = "read-only"  # refused in the admin (pctt.accounts.admin_policies)
            continue
        can_add = policy.user_has_permission(admin, "add")
        try:
            with transaction.atomic():
                add_page = admin_client.get(reverse(vs.get_url_name("add")))
                if not can_add or add_page.status_code == 404 or label in ADD_BROKEN:
                    instance = _demo_object(vs.model, demo_ward)
                    checked[label] = "edit"
                else:
                    created = _check_add(admin_client, vs)
                    instance = vs.model._base_manager.get(pk=created.object_id)
                    checked[label] = "add+edit"
                _check_edit(admin_client, vs, instance)
        except Exception as exc:  # report every screen at once, not the first only
            problems.append(f"{label}: {exc!r}"[:600])
    assert not problems, "\n".join(problems)
    # The screens named in the audit issue are among those walked.
    assert {"dispatch.Subscriber", "dispatch.ChannelProvider"} <= set(checked), checked


def test_contact_data_is_masked_and_a_delete_keeps_what_was_deleted(admin_client: Client) -> None:
    created = admin_client.post(
        reverse("subscriber:add"),
        {"phone": "0987654321", "email": "resident.audit@mail.example.vn", "language": "vi"},
    )
    assert created.status_code == 302
    subscriber = Subscriber.objects.get(email="resident.audit@mail.example.vn")
    deleted = admin_client.post(reverse("subscriber:delete", args=[subscriber.pk]))
    assert deleted.status_code == 302 and not Subscriber.objects.filter(pk=subscriber.pk).exists()
    entries = AuditEntry.objects.filter(object_type="dispatch.Subscriber")
    stored = json.dumps([list(entries.values("data", "before", "after"))], ensure_ascii=False)
    assert "987654321" not in stored and "7654321" not in stored
    assert "resident.audit" not in stored
    gone = entries.get(action=admin_audit.DELETE)
    assert gone.after is None and _sides(gone)[0]["language"] == "vi" and gone.ip == IP


def test_a_users_groups_are_audited_and_the_password_hash_never_is(admin_client: Client) -> None:
    """Wagtail's own user screen saves through the same actions: a change of role shows."""
    person = get_user_model().objects.create_user("canbo", "", "first-pass-phrase-1")
    group = Group.objects.order_by("pk").first()
    assert group is not None
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[person.pk]),
        {
            "username": "canbo",
            "email": "can.bo@mail.example.vn",
            "first_name": "Cán",
            "last_name": "Bộ",
            "password1": "new-pass-phrase-22",
            "password2": "new-pass-phrase-22",
            "is_active": "on",
            "groups": [str(group.pk)],
        },
    )
    assert response.status_code == 302, _errors(response)
    entry = AuditEntry.objects.get(action=admin_audit.EDIT, object_type="auth.User")
    before, after = _sides(entry)
    assert before["groups"] == [] and after["groups"] == [group.pk]
    assert after["password"].startswith(admin_audit.REDACTED)
    person.refresh_from_db()
    assert person.password not in json.dumps([entry.before, entry.after])


def test_every_model_saves_through_the_audited_actions() -> None:
    from wagtail.actions import action_registry

    for vs in _admin_viewsets():
        actions = action_registry.get_actions_for_model(vs.model)
        for name, audited in zip(
            ("create", "edit", "delete"), admin_audit.AUDITED_ACTIONS, strict=True
        ):
            assert issubclass(actions[name], audited), (vs.model, name)


def test_an_unchanged_save_writes_nothing(admin_client: Client) -> None:
    subscriber = Subscriber.objects.create(phone="+84912000111", language="vi")
    before = AuditEntry.objects.count()
    response = admin_client.post(
        reverse("subscriber:edit", args=[subscriber.pk]),
        {"phone": "+84912000111", "language": "vi"},
    )
    assert response.status_code == 302, _errors(response)
    assert AuditEntry.objects.count() == before
