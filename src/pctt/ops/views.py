"""The resident's deletion request on the portal: no JavaScript, Vietnamese first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctt.areas.models import WardSetting
from pctt.community import abuse
from pctt.ops import deletion
from pctt.ops.models import DeletionRequest
from pctt.portal.subscribe import ConfirmForm, clean_channel_address

SALT = "pctt.ops.deletion"
MAX_AGE = 45 * 60
# Each try sends a code: at most 5 an hour per connection and 3 an hour to one address.
abuse.LIMITS.setdefault("erase", (5, 3600))
abuse.LIMITS.setdefault("erase-address", (3, 3600))


class DeletionForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("The data was given with"),
        choices=[("sms", gettext_lazy("my mobile number")), ("email", gettext_lazy("my e-mail"))],
        widget=forms.RadioSelect,
        initial="sms",
    )
    address = forms.CharField(label=gettext_lazy("Mobile number or e-mail address"), max_length=254)

    def clean(self) -> dict[str, Any]:
        return clean_channel_address(self, super().clean() or {})


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"ward_name": WardSetting.load(request_or_site=request).title, **extra}


def deletion_request(request: HttpRequest) -> HttpResponse:
    form = DeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not abuse.allow("erase", abuse.client_address(request)) or not abuse.allow(
            "erase-address", form.cleaned_data["address"]
        ):
            form.add_error(None, _("Too many tries from this connection. Please try later."))
        else:
            found = deletion.request_deletion(
                form.cleaned_data["channel"], form.cleaned_data["address"]
            )
            token = signing.dumps(found.pk, salt=SALT)
            return HttpResponseRedirect(reverse("ops_deletion_confirm") + f"?t={token}")
    return render(request, "ops/deletion_request.html", _context(request, form=form))


def deletion_confirm(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("t", "")[:200]
    try:
        found = DeletionRequest.objects.get(pk=signing.loads(token, salt=SALT, max_age=MAX_AGE))
    except (signing.BadSignature, DeletionRequest.DoesNotExist, TypeError, ValueError):
        return render(
            request, "ops/deletion_confirm.html", _context(request, expired=True), status=400
        )
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    done = found.completed_at is not None
    failed = False
    if request.method == "POST" and form.is_valid() and not done:
        done = deletion.confirm_deletion(found, form.cleaned_data["code"]) is not None
        failed = not done
    return render(
        request,
        "ops/deletion_confirm.html",
        _context(request, form=form, done=done, failed=failed, channel=found.channel),
        status=400 if failed else 200,
    )
