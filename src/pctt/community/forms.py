"""Forms: the public submission form (works without JavaScript) and the back-office ones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from pctt.accounts.uploads import check_upload
from pctt.community import abuse, actions, photos
from pctt.community.models import AnswerChannel, Kind, Source, Status, Theme
from pctt.community.models.submissions import LINK_MAX, TEXT_MAX

PENDING_DIR = "community/pending"
#: What a resident's photo may be; Pillow then decodes and re-encodes it (photos.clean).
PHOTO_KINDS = ("jpeg", "png", "webp", "gif")


def _refusal(exc: forms.ValidationError, name: str) -> str:
    """Too large; named as a photo but holding something else; or not named as a photo."""
    if exc.code == "too_large":
        return "too_large"
    named_as_photo = name.lower().endswith((".jpg", ".jpeg", ".png", ".webp", ".gif"))
    return "unreadable" if named_as_photo else "format"


PENDING_SALT = "pctt.community.pending-photo"

PHOTO_ERRORS = {
    "empty": _("The file is empty."),
    "too_large": _("The photo is larger than 8 MB."),
    "format": _("Send a JPEG, PNG, WebP or GIF photo."),
    "pixels": _("The photo has too many pixels."),
    "unreadable": _("This file is not a photo we can read."),
}


def _groups() -> Any:
    from pctt.areas.models import AdminUnit, WardSetting

    ward = WardSetting.load().ward
    return AdminUnit.objects.groups().filter(parent=ward) if ward else AdminUnit.objects.none()


class PublicSubmissionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to tell the ward?"),
        choices=[
            (Kind.QUESTION, _("A question")),
            (Kind.CONCERN, _("A concern or a wish")),
            (Kind.HAZARD, _("A danger I can see (flooding, landslide, broken dyke…)")),
            (Kind.CLAIM, _("A piece of news I doubt (a rumour)")),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Your message"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
    )
    link = forms.URLField(
        label=_("Link where you saw it (if any)"),
        max_length=LINK_MAX,
        required=False,
        assume_scheme="https",
    )
    residential_group: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Residential group"),
        queryset=None,
        required=False,
        empty_label=_("— not sure / not needed —"),
    )
    place = forms.CharField(label=_("Where exactly"), max_length=200, required=False)
    # A point the resident chose to share: a tap on the map or the phone's location.
    point_lon = forms.FloatField(
        widget=forms.HiddenInput, required=False, min_value=-180, max_value=180
    )
    point_lat = forms.FloatField(
        widget=forms.HiddenInput, required=False, min_value=-90, max_value=90
    )
    photo = forms.FileField(
        label=_("Photo (optional, at most 8 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    share_location = forms.BooleanField(
        label=_("Use the location stored in my photo (otherwise it is removed)"), required=False
    )
    answer_channel = forms.ChoiceField(
        label=_("Do you want an answer?"),
        choices=[
            ("", _("No, I stay anonymous")),
            (AnswerChannel.SMS, _("Yes, by SMS")),
            (AnswerChannel.EMAIL, _("Yes, by e-mail")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    contact = forms.CharField(label=_("Phone number or e-mail"), max_length=254, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the ward keeps this contact only to answer me; it is deleted 30 days"
            " after the answer (90 days at most), or earlier if I ask."
        ),
        required=False,
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    photo_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, now: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residential_group"].queryset = _groups()  # type: ignore[attr-defined]
        self.now = now
        self.clean_photo_jpeg: bytes | None = None
        self.photo_location: tuple[float | None, float | None] = (None, None)
        if not self.is_bound:
            self.initial["started"] = abuse.started_token(now)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_started(self) -> str:
        elapsed = abuse.seconds_since(self.cleaned_data.get("started") or "", self.now)
        if elapsed is None:
            raise forms.ValidationError(
                _("This form is too old or damaged. Check your message and send it again.")
            )
        if elapsed < abuse.MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _("That was very fast. Check your message and send it again.")
            )
        return ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._clean_photo(data)
        self._clean_point(data)
        channel = data.get("answer_channel") or ""
        if channel:
            try:
                data["contact"] = actions.normalise_contact(channel, data.get("contact") or "")
            except forms.ValidationError as exc:
                self.add_error("contact", exc)
            if not data.get("consent"):
                self.add_error("consent", _("To get an answer, agree that we keep your contact."))
        else:
            data["contact"] = ""
        return data

    def _clean_point(self, data: dict[str, Any]) -> None:
        """Both coordinates or neither; a point gives the residential group when none was
        chosen (a point outside every group is kept, without a group)."""
        from pctt.community.mappick import GroupMap

        lon, lat = data.get("point_lon"), data.get("point_lat")
        if lon is None or lat is None:
            data["point_lon"] = data["point_lat"] = None
            return
        if data.get("residential_group") is None:
            group_map = GroupMap.for_ward()
            found = group_map.group_at(lon, lat) if group_map else None
            if found is not None:
                data["residential_group"] = self.fields["residential_group"].queryset.get(  # type: ignore[attr-defined]
                    pk=found
                )

    def _clean_photo(self, data: dict[str, Any]) -> None:
        upload = data.get("photo")
        if upload:
            try:
                check_upload(upload, kinds=PHOTO_KINDS, max_bytes=photos.MAX_BYTES)
            except forms.ValidationError as exc:
                self.add_error("photo", PHOTO_ERRORS[_refusal(exc, upload.name or "")])
                return
            try:
                cleaned = photos.clean(
                    upload.read(), keep_location=bool(data.get("share_location"))
                )
            except photos.PhotoError as exc:
                self.add_error("photo", PHOTO_ERRORS.get(exc.code, PHOTO_ERRORS["unreadable"]))
                return
            self.clean_photo_jpeg = cleaned.jpeg
            self.photo_location = (cleaned.lon, cleaned.lat)
            return
        kept = self._pending_photo(data.get("photo_token") or "")
        if kept is not None:
            self.clean_photo_jpeg = kept

    @staticmethod
    def _pending_photo(token: str) -> bytes | None:
        if not token:
            return None
        try:
            name = signing.loads(token, salt=PENDING_SALT, max_age=abuse.MAX_FORM_AGE)
        except signing.BadSignature:
            return None
        path = f"{PENDING_DIR}/{name}"
        if not isinstance(name, str) or "/" in name or not default_storage.exists(path):
            return None
        with default_storage.open(path, "rb") as handle:
            data: bytes = handle.read()
        return data

    def keep_photo_for_retry(self) -> None:
        """The form has errors but the photo was fine: keep it so nothing is lost."""
        if self.clean_photo_jpeg is None or self.data.get("photo_token"):
            return
        name = f"{get_random_string(24)}.jpg"
        default_storage.save(f"{PENDING_DIR}/{name}", ContentFile(self.clean_photo_jpeg))
        data = self.data.copy()  # type: ignore[attr-defined]
        data["photo_token"] = signing.dumps(name, salt=PENDING_SALT)
        data["started"] = abuse.started_token(self.now)
        self.data = data

    def intake(self) -> actions.Intake:
        data = self.cleaned_data
        group = data.get("residential_group")
        lon, lat = self.photo_location
        if data.get("point_lon") is not None:
            lon, lat = data["point_lon"], data["point_lat"]
        return actions.Intake(
            kind=data["kind"],
            source=Source.PORTAL,
            text=data["text"],
            link=data.get("link") or "",
            residential_group_id=group.pk if group else None,
            place=data.get("place") or "",
            lon=lon,
            lat=lat,
            photo_jpeg=self.clean_photo_jpeg,
            answer_channel=data.get("answer_channel") or "",
            contact=data.get("contact") or "",
            consent=bool(data.get("consent")),
        )


class StatusLookupForm(forms.Form):
    reference = forms.CharField(label=_("Your code"), max_length=12)


class OfficialEntryForm(forms.Form):
    """Entered by an official from a phone call or a meeting."""

    source = forms.ChoiceField(
        label=_("Received by"),
        choices=[(Source.PHONE_CALL, _("phone call")), (Source.MEETING, _("meeting"))],
        help_text=_("How the resident told the ward."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        help_text=_("A question, a concern, a danger seen, or a rumour to check."),
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=[("", "—"), *Theme.choices],
        required=False,
        help_text=_("Optional: groups it with others on the same subject."),
    )
    text = forms.CharField(
        label=_("What was said"),
        max_length=TEXT_MAX,
        widget=forms.Textarea,
        help_text=_("In the resident's words, without their name or phone number."),
    )
    residential_group: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Residential group"),
        queryset=None,
        required=False,
        help_text=_("Where it happens, if the resident said."),
    )
    place = forms.CharField(
        label=_("Where exactly"),
        max_length=200,
        required=False,
        help_text=_("E.g. Đầu ngõ 12, cạnh cống thoát nước."),
    )
    answer_channel = forms.ChoiceField(
        label=_("Answer by"),
        choices=AnswerChannel.choices,
        required=False,
        help_text=_("How the resident wants the answer; leave it empty if they want none."),
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=254,
        required=False,
        help_text=_("The phone number or e-mail for the answer, e.g. 0912 345 678."),
    )
    consent = forms.BooleanField(
        label=_("The resident agreed that we keep this contact to answer"),
        required=False,
        help_text=_("Tick only if the resident said yes; the contact is deleted after the answer."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residential_group"].queryset = _groups()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        channel = data.get("answer_channel") or ""
        if channel:
            try:
                data["contact"] = actions.normalise_contact(channel, data.get("contact") or "")
            except forms.ValidationError as exc:
                self.add_error("contact", exc)
            if not data.get("consent"):
                self.add_error(
                    "consent",
                    forms.ValidationError(
                        _("Tick the consent, or leave the answer channel and the contact empty."),
                        code="consent_needed",
                    ),
                )
        return data

    def intake(self) -> actions.Intake:
        data = self.cleaned_data
        group = data.get("residential_group")
        return actions.Intake(
            kind=data["kind"],
            source=data["source"],
            text=data["text"],
            residential_group_id=group.pk if group else None,
            place=data.get("place") or "",
            answer_channel=data.get("answer_channel") or "",
            contact=data.get("contact") or "",
            consent=bool(data.get("consent")),
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain words the resident will read; it is sent by the channel they chose."),
    )


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign")),
        ("status", _("Set status")),
        ("theme", _("Set theme")),
        ("answer", _("Answer all with the same text")),
        ("merge", _("Group under the first selected")),
        ("claim", _("Make one claim of these reports")),
    ]
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    action = forms.ChoiceField(choices=ACTIONS)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text=_("For Assign: the organisation that will handle the ticked items."),
    )
    status = forms.ChoiceField(
        choices=[("", "—")] + [(s, label) for s, label in Status.choices if s != Status.ANSWERED],
        required=False,
        help_text=_("For Set status: the new status of the ticked items."),
    )
    theme = forms.ChoiceField(
        choices=[("", "—"), *Theme.choices],
        required=False,
        help_text=_("For Set theme: the subject of the ticked items."),
    )
    answer = forms.CharField(
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For Answer all: one text sent to every ticked resident who asked for one."),
    )

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        from pctt.plans.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in ids]  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.all()  # type: ignore[attr-defined]
