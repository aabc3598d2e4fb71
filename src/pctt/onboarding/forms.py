"""The wizard's forms: parse and check input; the actions make the changes."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from pctt.accounts.roles import ROLES, RoleKey
from pctt.accounts.uploads import check_upload
from pctt.areas.models import AdminUnit, HazardZone
from pctt.formats.collation import ViOrder

ENV_NAME = RegexValidator(
    r"^[A-Z][A-Z0-9_]{0,63}$",
    _("Write the NAME of an environment variable in capitals, e.g. PCTT_SMTP_PASSWORD."),
)
MAX_GEOMETRY_CHARS = 1_000_000


class WardForm(forms.Form):
    ward = forms.ModelChoiceField(
        queryset=AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE),
        widget=forms.HiddenInput,
        error_messages={"required": _("Search for the ward, then choose it in the list.")},
    )
    display_name = forms.CharField(
        label=_("Name shown to residents"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the official name."),
    )
    cap_sender = forms.CharField(
        label=_("CAP sender"),
        max_length=150,
        required=False,
        help_text=_("The ward's official e-mail address, which signs its warnings."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection; each area has code, name, level and parent_code (the ward's"
            " code). Everything is imported or nothing."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = int(settings.PCTT_AREAS_MAX_IMPORT_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB: split it into smaller files.")
                % {"mb": limit // 1_000_000}
            )
        check_upload(upload, kinds=("json",), max_bytes=limit)
        data: bytes = upload.read(limit + 1)
        return data


class DrawForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("For example: Tổ dân phố 3")
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        required=False,
        help_text=_("The official code if there is one; leave empty to number it automatically."),
    )
    hazard = forms.ChoiceField(
        label=_("Hazard"),
        choices=HazardZone.Hazard.choices,
        required=False,
        help_text=_("The hazard that threatens this zone."),
    )
    households = forms.IntegerField(
        label=_("Households"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("Optional: the number of households, e.g. 120."),
    )
    population = forms.IntegerField(
        label=_("Population"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("Optional: the number of people living there, e.g. 450."),
    )
    geometry = forms.CharField(
        label=_("Outline (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_GEOMETRY_CHARS,
        help_text=_("Click on the map to place the corners, at least three."),
        error_messages={"required": _("Draw the outline on the map: at least three corners.")},
    )

    def __init__(self, *args: Any, zone: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        if zone:
            self.fields["hazard"].required = True
            del self.fields["households"]
            del self.fields["population"]
        else:
            del self.fields["hazard"]

    def clean_geometry(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["geometry"])
        except (ValueError, RecursionError) as exc:  # deep nesting exhausts the parser
            raise forms.ValidationError(
                _("The outline is not valid GeoJSON: draw it again on the map."),
                code="not_geojson",
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(
                _("Draw the outline again on the map: one closed shape."), code="not_a_shape"
            )
        return value


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("The full name, e.g. Đoàn Thanh niên phường Hoà Bình."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=(), help_text=_("The kind that fits it best; reports group by it.")
    )
    area = forms.ModelChoiceField(
        label=_("Residential group (for a Party cell)"),
        queryset=AdminUnit.objects.none(),
        required=False,
        help_text=_("Only for a Party cell: the residential group it belongs to."),
    )

    def __init__(self, *args: Any, ward: AdminUnit, **kwargs: Any) -> None:
        from pctt.plans.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Organisation.Kind.choices  # type: ignore[attr-defined]
        self.fields["area"].queryset = AdminUnit.objects.groups().filter(parent=ward)  # type: ignore[attr-defined]


class AccountForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, help_text=_("As on the ID card, e.g. Nguyễn Văn An.")
    )
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Used to sign in; letters without marks, digits and . _ -"),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional: for notices and a forgotten password, e.g. an@example.com."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(str(k), r.group_name) for k, r in ROLES.items()],
        help_text=_("What the person may do; give only the role their work needs."),
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a focal point: the organisation whose activities they enter."),
    )

    def __init__(self, *args: Any, ward: AdminUnit, **kwargs: Any) -> None:
        from pctt.plans.models import Organisation

        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(ward=ward).order_by(ViOrder("name").asc())
        self.fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in orgs]  # type: ignore[attr-defined]

    def role_key(self) -> RoleKey:
        return RoleKey(self.cleaned_data["role"])


class _ChannelForm(forms.Form):
    name = forms.SlugField(
        label=_("Short name"),
        max_length=50,
        help_text=_("Letters without marks, digits and -, e.g. email-ubnd"),
    )

    kind = ""

    def options(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "name"}


class SmtpForm(_ChannelForm):
    kind = "smtp"
    host = forms.CharField(
        label=_("SMTP server"),
        max_length=200,
        help_text=_("From your e-mail provider, e.g. smtp.example.gov.vn."),
    )
    port = forms.IntegerField(
        label=_("Port"),
        min_value=1,
        max_value=65535,
        initial=587,
        help_text=_("Usually 587; your e-mail provider says which."),
    )
    sender = forms.EmailField(
        label=_("Sender address"),
        help_text=_("The address residents see the e-mails come from."),
    )
    starttls = forms.BooleanField(
        label=_("Use STARTTLS"),
        required=False,
        initial=True,
        help_text=_("Leave it ticked unless your provider says otherwise."),
    )
    username = forms.CharField(
        label=_("SMTP user name"),
        max_length=200,
        required=False,
        help_text=_("Often the sender address; empty if the server needs none."),
    )
    password_env = forms.CharField(
        label=_("Environment variable holding the password"),
        max_length=64,
        required=False,
        validators=[ENV_NAME],
        help_text=_("The password itself is never stored here."),
    )

    def options(self) -> dict[str, Any]:
        options = super().options()
        options["from"] = options.pop("sender")
        return options


class SmsForm(_ChannelForm):
    kind = "sms_http"
    url = forms.URLField(
        label=_("Gateway address (URL)"),
        max_length=300,
        assume_scheme="https",
        help_text=_("From the SMS contract, e.g. https://sms.example.vn/api/send."),
    )
    sender = forms.CharField(
        label=_("Brandname"),
        max_length=20,
        required=False,
        help_text=_("The registered sender name, e.g. UBND-PHUONG; empty if none."),
    )
    token_env = forms.CharField(
        label=_("Environment variable holding the API token"),
        max_length=64,
        required=False,
        validators=[ENV_NAME],
        help_text=_("The token itself is never stored here."),
    )
    format = forms.ChoiceField(
        label=_("Request format"),
        choices=[("json", "JSON"), ("form", _("form fields"))],
        help_text=_("As the gateway's documentation says; JSON if unsure."),
    )
    phone_format = forms.ChoiceField(
        label=_("Phone number format"),
        choices=[("e164", "+84912…"), ("84", "84912…"), ("national", "0912…")],
        help_text=_("How the gateway wants the numbers written."),
    )


class MqttForm(_ChannelForm):
    kind = "mqtt"
    host = forms.CharField(
        label=_("Broker address"),
        max_length=200,
        initial="127.0.0.1",
        help_text=_("The MQTT broker the loudspeaker controllers use, e.g. 127.0.0.1."),
    )
    port = forms.IntegerField(
        label=_("Port"),
        min_value=1,
        max_value=65535,
        initial=1883,
        help_text=_("Usually 1883; the installer says which."),
    )
    username = forms.CharField(
        label=_("Broker user name"),
        max_length=200,
        required=False,
        help_text=_("Empty if the broker needs none."),
    )
    password_env = forms.CharField(
        label=_("Environment variable holding the password"),
        max_length=64,
        required=False,
        validators=[ENV_NAME],
        help_text=_("The password itself is never stored here."),
    )


CHANNEL_FORMS: dict[str, type[_ChannelForm]] = {
    "smtp": SmtpForm,
    "sms_http": SmsForm,
    "mqtt": MqttForm,
}


class TestForm(forms.Form):
    provider = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.CharField(
        label=_("Send the test to"),
        max_length=200,
        help_text=_(
            "Your mobile number, your e-mail, or a loudspeaker controller id, e.g. LOA-03."
        ),
    )
