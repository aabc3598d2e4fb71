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
        help_text=_(
            "Actual: a real warning to residents. Exercise: a drill, sent only to people who "
            "agreed to drills and marked as a drill everywhere. Test: checks the channels."
        ),
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
