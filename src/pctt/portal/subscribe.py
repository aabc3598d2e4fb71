"""Subscribing to warnings on the portal: consent first, then a code sent over the same channel.

Works without JavaScript. Rate-limited per network address (kept hashed, for an hour).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctt.areas.models import AdminUnit, WardSetting
from pctt.community import abuse
from pctt.core import phone as phones
from pctt.dispatch import consent as consents
from pctt.dispatch.models import Consent

SALT = "pctt.portal.subscribe"
MAX_AGE = 45 * 60


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Receive warnings by"),
        choices=[("sms", gettext_lazy("SMS")), ("email", gettext_lazy("e-mail"))],
        widget=forms.RadioSelect,
        initial="sms",
    )
    address = forms.CharField(
        label=gettext_lazy("Mobile number or e-mail address"),
        max_length=254,
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("Your residential group"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— choose —"),
    )
    drills = forms.BooleanField(
        label=gettext_lazy("Also receive drill (exercise) messages"),
        required=False,
    )
    agree = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the ward keeps this number or address only to send me disaster "
            "warnings, and I know I can stop at any time (reply STOP, or the link in each e-mail)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ward = WardSetting.load().ward
        self.fields["group"].queryset = (  # type: ignore[attr-defined]
            AdminUnit.objects.groups().filter(parent=ward).order_by("code")
        )

    def clean(self) -> dict[str, Any]:
        return clean_channel_address(self, super().clean() or {})


def clean_channel_address(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """The form's address normalised for its channel (E.164 for SMS, lower-case e-mail); an
    address that is neither becomes an error on the form. Shared by every resident's form
    that asks "by SMS or e-mail"."""
    address = (data.get("address") or "").strip()
    if data.get("channel") == "sms":
        try:
            data["address"] = phones.normalise(address)
        except phones.PhoneError:
            form.add_error("address", _("Enter a Vietnamese mobile number, e.g. 0912 345 678."))
    elif data.get("channel") == "email":
        try:
            validate_email(address)
            data["address"] = address.lower()
        except forms.ValidationError:
            form.add_error("address", _("Enter a valid e-mail address."))
    return data


class ConfirmForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Confirmation code"), regex=r"^\s*\d{6}\s*$", max_length=12
    )


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"ward_name": WardSetting.load(request_or_site=request).title, **extra}


def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not abuse.allow("subscribe", abuse.client_address(request)):
            form.add_error(None, _("Too many tries from this connection. Please try later."))
        else:
            data = form.cleaned_data
            consent = consents.subscribe(
                channel=data["channel"],
                address=data["address"],
                residential_group_id=data["group"].pk if data["group"] else None,
                receives_drills=data["drills"],
            )
            token = signing.dumps(consent.pk, salt=SALT)
            return HttpResponseRedirect(reverse("portal_subscribe_confirm") + f"?t={token}")
    return render(request, "portal/subscribe.html", _context(request, form=form))


def confirm(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("t", "")
    try:
        consent = Consent.objects.get(pk=signing.loads(token, salt=SALT, max_age=MAX_AGE))
    except (signing.BadSignature, Consent.DoesNotExist, TypeError, ValueError):
        return render(
            request, "portal/subscribe_confirm.html", _context(request, expired=True), status=400
        )
    form = ConfirmForm(request.POST or None)
    done = consent.confirmed_at is not None
    if request.method == "POST" and form.is_valid() and not done:
        done = consents.confirm_consent(consent, form.cleaned_data["code"].strip())
        if not done:
            form.add_error("code", _("This code is wrong or has expired."))
    return render(
        request,
        "portal/subscribe_confirm.html",
        _context(request, form=form, done=done, channel=consent.channel),
    )
