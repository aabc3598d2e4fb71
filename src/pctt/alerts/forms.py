"""Back-office forms for drafting warnings."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from pctt.alerts.actions import EDITABLE
from pctt.alerts.models import Alert, WarningTemplate
from pctt.areas.models import AdminUnit, HazardZone, WardSetting

MAX_DRAWN_VERTICES = 500


def _ward_groups() -> Any:
    ward = WardSetting.load().ward
    return AdminUnit.objects.groups().filter(parent=ward).order_by("code")


def _ward_zones() -> Any:
    ward = WardSetting.load().ward
    return HazardZone.objects.filter(commune=ward).order_by("code")


STATUS_HELP = _(
    "Actual: a real warning to residents. Exercise: a drill, sent only to people who "
    "agreed to drills and marked as a drill everywhere. Test: checks the channels."
)

# Help shared by the template screen and the draft form: the CAP codes mean the same in both.
CAP_HELP = {
    "hazard": _("The kind of hazard the warning is about."),
    "category": _(
        "For the CAP message: meteorological for storms, rain and floods; geophysical "
        "for landslides."
    ),
    "response_type": _("What residents should do, in one word: prepare, evacuate, take shelter…"),
    "urgency": _("How soon to act: immediate means now, expected means within the hour."),
    "severity": _("How much harm is expected, from minor to extreme."),
    "certainty": _("How sure it is: observed means it is already happening."),
    "loudspeaker_priority": _(
        "Normal: after the current item; priority: first in the next slot; emergency: "
        "interrupts at once."
    ),
    "event_vi": _("The hazard in a few words, e.g. Lũ trên sông."),
    "event_en": _("Optional: the same in English."),
    "description_vi": _("What is happening and where, in two or three sentences."),
    "description_en": _("Optional: the description in English."),
    "instruction_vi": _("What residents must do now, in short plain sentences."),
    "instruction_en": _("Optional: what to do, in English."),
}

#: The warning template screen (alerts.wagtail_hooks), field by field, in the screen's order.
TEMPLATE_HELP = {
    "key": _(
        "A short code: letters without marks, digits and -, e.g. lu-bao-dong-1. Don't "
        "change the code of a shipped template."
    ),
    "name": _("The name officials choose it by, e.g. Lũ trên sông — báo động I."),
    "hazard": CAP_HELP["hazard"],
    "level": _("Optional: the alarm or risk level it is for, e.g. BĐ1 or Cấp độ 2."),
    **{k: CAP_HELP[k] for k in ("category", "response_type", "urgency", "severity", "certainty")},
    "loudspeaker_priority": CAP_HELP["loudspeaker_priority"],
    "event_vi": CAP_HELP["event_vi"],
    "event_en": CAP_HELP["event_en"],
    "headline_vi": _(
        "The sentence residents read first; a word in {curly brackets}, e.g. "
        "{station}, is filled in when drafting."
    ),
    "headline_en": _("Optional: the headline in English, with the same {curly brackets}."),
    **{k: CAP_HELP[k] for k in ("description_vi", "description_en")},
    **{k: CAP_HELP[k] for k in ("instruction_vi", "instruction_en")},
    "sms_vi": _(
        "Keep it short: a draft's preview shows how many SMS it takes, with and without marks."
    ),
    "loudspeaker_vi": _("Written to be read aloud on the loudspeakers, e.g. mét rather than m."),
    "expires_hours": _("How many hours a warning made from it stays in force, e.g. 12."),
    "is_active": _("Untick to hide it when drafting, without deleting it."),
}

#: The draft form's fields besides the areas, which carry their own help.
DRAFT_HELP = {
    **CAP_HELP,
    "status": STATUS_HELP,
    "risk_level": _("Optional: the risk level 1 to 5 from the bulletin (Decision 18/2021)."),
    "headline_vi": _("The sentence residents read first; leave nothing in {curly brackets}."),
    "headline_en": _("Optional: the headline in English."),
    "sms_vi": _(
        "Keep it short: the preview shows how many SMS it takes. Empty: the headline is sent."
    ),
    "loudspeaker_vi": _(
        "Read aloud on the loudspeakers, e.g. mét rather than m. Empty: the "
        "headline and what to do are read."
    ),
    "effective": _("Optional: when the warning takes effect; empty means when it is issued."),
    "onset": _("Optional: when the hazard is expected to arrive."),
    "expires": _("When the warning ends: later than now and than its start."),
    "note": _(
        "Optional: a note inside the CAP message for other authorities' systems; not sent "
        "to residents."
    ),
}


class AreasMixin(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        label=_("Residential groups"),
        queryset=AdminUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every group that must receive the warning, or click them on the map."),
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("Hazard zones"),
        queryset=HazardZone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the people living in a ticked zone are warned too."),
    )
    drawn_area = forms.CharField(
        label=_("Area drawn on the map"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = _ward_groups()  # type: ignore[attr-defined]
        self.fields["zones"].queryset = _ward_zones()  # type: ignore[attr-defined]

    def clean_drawn_area(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("drawn_area") or ""
        if not raw.strip():
            return None
        if len(raw) > 50_000:
            raise forms.ValidationError(_("The drawn area is too large."))
        try:
            geometry = json.loads(raw)
            polygon = shape(geometry)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise forms.ValidationError(_("The drawn area is not a valid polygon.")) from exc
        if (
            geometry.get("type") != "Polygon"
            or not polygon.is_valid
            or polygon.is_empty
            or len(geometry["coordinates"][0]) > MAX_DRAWN_VERTICES
        ):
            raise forms.ValidationError(_("The drawn area is not a valid polygon."))
        min_x, min_y, max_x, max_y = polygon.bounds
        if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
            raise forms.ValidationError(_("The drawn area is not a valid polygon."))
        return dict(geometry)


class NewWarningForm(AreasMixin):
    """Step one: a template, its placeholders, the areas and the status."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=Alert.Status.choices,
        initial=Alert.Status.ACTUAL,
        help_text=STATUS_HELP,
    )

    def __init__(self, template: WarningTemplate, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        for name in template.placeholders():
            self.fields[f"ph_{name}"] = forms.CharField(
                label=PLACEHOLDER_LABELS.get(name, name),
                max_length=200,
                required=False,
                help_text=_("Written into the template's text as you type it here."),
            )

    def values(self) -> dict[str, str]:
        return {
            key[3:]: value
            for key, value in self.cleaned_data.items()
            if key.startswith("ph_") and value
        }


class DraftForm(AreasMixin, forms.ModelForm):  # type: ignore[misc]
    """Everything of a draft, edited before it is submitted."""

    class Meta:
        model = Alert
        fields = [f for f in EDITABLE if f != "drawn_area"]
        widgets = {
            "effective": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "onset": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "expires": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description_vi": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "instruction_vi": forms.Textarea(attrs={"rows": 3}),
            "instruction_en": forms.Textarea(attrs={"rows": 3}),
            "sms_vi": forms.Textarea(attrs={"rows": 2}),
            "loudspeaker_vi": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = DRAFT_HELP


PLACEHOLDER_LABELS = {
    "station": _("station"),
    "water_level": _("water level (m)"),
    "time": _("time"),
    "areas": _("areas (as residents say them)"),
    "shelter": _("shelter / gathering point"),
    "rain": _("rainfall"),
    "storm": _("storm name"),
    "risk_level": _("risk level in the bulletin"),
    "temperature": _("temperature"),
    "reason": _("reason"),
    "hazard_name": _("hazard"),
}
