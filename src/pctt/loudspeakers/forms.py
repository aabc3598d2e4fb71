from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from pctt.accounts.uploads import check_upload
from pctt.dispatch.models import LoudspeakerCluster
from pctt.formats.collation import ViOrder
from pctt.loudspeakers import actions, audio
from pctt.loudspeakers.models import ClusterDevice, Recording, Voice, Weekday


class ProgrammeForm(WagtailAdminModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("days of the week"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_on",
                ValidationError(
                    _("Choose an end date on or after the start date."), code="ends_before_start"
                ),
            )
        items = self.formsets.get("items")
        if items is not None:
            for form in items.forms:
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                data = form.cleaned_data
                try:
                    actions.validate_item(
                        data.get("kind", ""),
                        script=data.get("script"),
                        recording=data.get("recording"),
                        stream_url=data.get("stream_url") or "",
                        minutes=data.get("relay_minutes") or 0,
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
        return cleaned


class DeviceForm(forms.ModelForm):
    class Meta:
        model = ClusterDevice
        fields = actions.DEVICE_FIELDS
        # Help is given here, not on the model: no migration for a wording.
        help_texts = {
            "hazard_zone": _("The hazard zone these loudspeakers warn; may be empty."),
            "lon": _("Longitude of the cluster, with a dot, e.g. 105.8342."),
            "lat": _("Latitude of the cluster, with a dot, e.g. 21.0278."),
            "coverage_radius_m": _("How far the loudspeakers are heard, in metres, e.g. 300."),
            "heartbeat_s": _(
                "How often the controller reports, in seconds, e.g. 30; leave it if unsure."
            ),
        }


#: What the audio decoder reads; the shared upload check refuses anything else first.
AUDIO_KINDS = ("mp3", "wav")


def _check_audio(upload: Any) -> None:
    """The shared upload check, with the loudspeaker screens' own words for its refusals."""
    try:
        check_upload(upload, kinds=AUDIO_KINDS, max_bytes=audio.MAX_BYTES)
    except ValidationError as exc:
        code = "too_big" if exc.code == "too_large" else "type"
        raise ValidationError(
            actions.refusal_message(audio.AudioRefused(code, "")), code=exc.code
        ) from exc


class RecordingForm(forms.Form):
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        help_text=_("A name to find it by, e.g. Hướng dẫn phòng chống bão."),
    )
    file = forms.FileField(
        label=_("MP3 or WAV file"),
        help_text=_("An MP3 or WAV file of at most 30 MB; its loudness is evened out."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/mpeg,audio/wav,.mp3,.wav"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        _check_audio(upload)
        return upload


class AnnouncementForm(forms.Form):
    text = forms.CharField(
        label=_("announcement"),
        required=False,
        max_length=actions.MAX_ANNOUNCEMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the loudspeakers will read out. Short sentences, times and places."),
    )
    recording_file = forms.FileField(
        label=_("or record it"),
        required=False,
        help_text=_("Record it with the phone's microphone instead of typing it."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*", "capture": "user"}),
    )
    recording = forms.ModelChoiceField(
        label=_("or choose a recording"),
        queryset=Recording.objects.all(),
        required=False,
        help_text=_("A recording uploaded before, played as it is."),
    )
    voice = forms.ChoiceField(
        label=_("voice"),
        choices=Voice.choices,
        initial=Voice.NORTH,
        help_text=_("The accent the text is read in; not used for a recording."),
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("clusters"),
        queryset=LoudspeakerCluster.objects.filter(enabled=True).order_by(ViOrder("name").asc()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every cluster that should play it."),
    )

    def clean_recording_file(self) -> Any:
        upload = self.cleaned_data.get("recording_file")
        if upload:
            _check_audio(upload)
        return upload
