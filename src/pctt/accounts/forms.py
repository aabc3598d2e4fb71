"""Sign-in, second factor and re-authentication forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from pctt.accounts import lockout
from pctt.accounts.request_context import client_ip


class LoginForm(WagtailLoginForm):  # type: ignore[misc]
    """Wagtail's sign-in form, saying so when the username or address is locked out."""

    error_messages = {
        **WagtailLoginForm.error_messages,
        "locked": _(
            "Too many failed sign-ins. Sign-in is locked for a while; try again later "
            "or ask an administrator."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _("The user name the ward's administrator gave you.")
        self.fields["password"].help_text = _(
            "Forgotten it? Ask the ward's administrator to set a new one."
        )
        if "remember" in self.fields:
            self.fields["remember"].help_text = _(
                "Only on your own device: others could use this one as you."
            )

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        if username and lockout.is_locked(username, ip):
            lockout.record_failure(username, ip)
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()  # type: ignore[no-any-return]


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )

    def clean_otp_token(self) -> str:
        return "".join(self.cleaned_data["otp_token"].split()).lower()


class EnrolForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}
        ),
        help_text=_(
            "Scan the picture with the authenticator app, then type the 6 digits it shows."
        ),
    )

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Type the six digits the app shows, without letters."))
        return token


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autofocus": ""}),
        help_text=_("Your sign-in password, once more: an Actual warning needs it."),
    )
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )

    def clean_otp_token(self) -> str:
        return "".join(self.cleaned_data["otp_token"].split()).lower()
