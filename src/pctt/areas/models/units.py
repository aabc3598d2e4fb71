"""Administrative units (province → commune/ward → residential group/hamlet) and hazard zones."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from pctt.areas.models.geometry import GeometryMixin
from pctt.core.text import admin_unit_key, nfc


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def groups(self) -> AdminUnitQuerySet:
        """Residential groups and hamlets: the units warnings target."""
        return self.filter(level__in=AdminUnit.GROUP_LEVELS)

    def by_name(self, name: str) -> AdminUnitQuerySet:
        """Match a name whatever its Unicode form, tone-mark placement or unit prefix."""
        return self.filter(name_key=admin_unit_key(name))


class AdminUnit(GeometryMixin):
    class Level(models.TextChoices):
        PROVINCE = "province", _("province / centrally-run city")
        COMMUNE = "commune", _("commune / ward")
        RESIDENTIAL_GROUP = "residential_group", _("residential group (tổ dân phố)")
        HAMLET = "hamlet", _("hamlet (thôn)")

    GROUP_LEVELS = (Level.RESIDENTIAL_GROUP, Level.HAMLET)
    PARENT_LEVELS: dict[str, tuple[str, ...]] = {
        Level.PROVINCE: (),
        Level.COMMUNE: (Level.PROVINCE,),
        Level.RESIDENTIAL_GROUP: (Level.COMMUNE,),
        Level.HAMLET: (Level.COMMUNE,),
    }

    code = models.CharField(_("official code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    elderly_alone = models.PositiveIntegerField(
        _("elderly people living alone"), null=True, blank=True
    )
    disabled = models.PositiveIntegerField(_("people with disabilities"), null=True, blank=True)
    young_children = models.PositiveIntegerField(_("small children"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = nfc(self.name)
        self.name_key = admin_unit_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def vulnerable_people(self) -> int:
        return sum(v or 0 for v in (self.elderly_alone, self.disabled, self.young_children))


class HazardZone(GeometryMixin):
    class Hazard(models.TextChoices):
        FLOOD = "flood", _("flood-prone")
        LANDSLIDE = "landslide", _("landslide-prone")
        RIVERSIDE = "riverside", _("riverside")
        COASTAL = "coastal", _("coastal")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune / ward"),
        on_delete=models.PROTECT,
        related_name="hazard_zones",
        limit_choices_to={"level": AdminUnit.Level.COMMUNE},
    )
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hazard zone")
        verbose_name_plural = _("hazard zones")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


@register_setting(icon="site")
class WardSetting(BaseGenericSetting):
    """Which commune/ward this installation serves."""

    ward = models.ForeignKey(
        AdminUnit,
        verbose_name=_("ward served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": AdminUnit.Level.COMMUNE},
        related_name="+",
    )
    display_name = models.CharField(
        _("name shown to residents"),
        max_length=200,
        blank=True,
        help_text=_("Defaults to the ward's official name."),
    )
    cap_sender = models.CharField(
        _("CAP sender"),
        max_length=150,
        blank=True,
        help_text=_(
            "How this ward signs its CAP warnings, e.g. the official e-mail address of the "
            "ward's People's Committee. No spaces or commas."
        ),
        validators=[RegexValidator(r"^[^\s,<&]+$", _("No spaces, commas, < or &."))],
    )

    class Meta:
        verbose_name = _("ward served")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.display_name:
            return self.display_name
        return self.ward.name if self.ward else ""
