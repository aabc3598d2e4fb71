"""Back-office forms of the hazards screens: a station's alarm thresholds and region class, and
a risk level copied from an official bulletin. The actions check and save what they hold."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pctt.areas.models import AdminUnit
from pctt.hazards import risk

# Numbers are typed with a dot: the form fields are not localised, so "12,4" is refused.
_LEVEL_HELP = _("The water level in metres from the decision, with a dot, e.g. 12.4.")


class ThresholdForm(forms.Form):
    bd1 = forms.FloatField(label=_("alarm level I (BĐ1)"), help_text=_LEVEL_HELP)
    bd2 = forms.FloatField(label=_("alarm level II (BĐ2)"), help_text=_LEVEL_HELP)
    bd3 = forms.FloatField(label=_("alarm level III (BĐ3)"), help_text=_LEVEL_HELP)
    source_document = forms.CharField(
        label=_("source document"),
        max_length=200,
        help_text=_("The decision that sets the levels, e.g. Quyết định 05/2020/QĐ-UBND."),
    )
    source_article = forms.CharField(
        label=_("article or annex"),
        max_length=200,
        required=False,
        help_text=_("Where in the document, e.g. Phụ lục II."),
    )
    source_note = forms.CharField(
        label=_("note on the source"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Optional: anything a colleague needs to check the figures."),
    )


class RegionClassForm(forms.Form):
    region_class = forms.TypedChoiceField(
        label=_("region class (khu vực) for risk levels"),
        choices=[("", _("unknown")), *[(n, str(n)) for n in (1, 2, 3, 4)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The area class 1 to 4 of the station in the annex of Decision 18/2021."),
    )
    region_class_source = forms.CharField(
        label=_("source of the region class"),
        max_length=300,
        required=False,
        help_text=_("The document and annex it comes from, e.g. Phụ lục V, QĐ 18/2021/QĐ-TTg."),
    )


class RiskLevelForm(forms.Form):
    hazard = forms.ChoiceField(
        label=_("hazard"), choices=risk.HAZARDS, help_text=_("The hazard the bulletin is about.")
    )
    area = forms.ModelChoiceField(
        label=_("area"),
        queryset=AdminUnit.objects.filter(
            level__in=[AdminUnit.Level.COMMUNE, *AdminUnit.GROUP_LEVELS]
        ).order_by("code"),
        help_text=_("The ward or residential group the level applies to."),
    )
    bulletin_level = forms.TypedChoiceField(
        label=_("level in the bulletin"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        help_text=_("The risk level 1 to 5 as the bulletin writes it."),
    )
    source = forms.CharField(
        label=_("source (bulletin, number, time)"),
        max_length=300,
        help_text=_("e.g. Tin cảnh báo lũ số 12 của Đài KTTV tỉnh, 10h 06/9/2026"),
    )
    raised_by = forms.TypedChoiceField(
        label=_("raised for compound hazards by"),
        choices=[
            (0, _("not raised")),
            (1, _("1 level (hazards together or one after another)")),
            (2, _("2 levels (serious danger to lives and property)")),
        ],
        coerce=int,
        initial=0,
        help_text=_("Leave it at not raised unless several hazards strike together."),
    )
    raise_reason = forms.CharField(
        label=_("why it was raised"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the level is raised: which hazards, where."),
    )
