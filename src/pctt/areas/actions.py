"""Every change to areas goes through here (views, admin, CLI, tasks)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from shapely.geometry import mapping, shape

from pctt.accounts.audit import changes, log_action, snapshot
from pctt.areas.geo import COUNT_FIELDS, FeatureError, ImportPlan, parse_feature_collection
from pctt.areas.models import AdminUnit, HazardZone
from pctt.core.text import admin_unit_key, nfc

Actor = AbstractBaseUser | AnonymousUser | None


class AreaImportError(Exception):
    """The file was refused as a whole; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{len(plan.errors)} error(s); nothing imported")
        self.errors: list[FeatureError] = plan.errors
        self.plan = plan

    def lines(self, *, vietnamese: bool = True) -> list[str]:
        """One line per bad feature."""
        return self.plan.error_lines(vietnamese=vietnamese)


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


def _require(user: Actor, perm: str) -> None:
    # None is the system actor: the CLI, run by someone with shell access to the server.
    if user is not None and not user.has_perm(perm):  # type: ignore[union-attr]
        raise PermissionDenied(perm)


def import_areas(data: bytes, *, user: Actor = None, source: str = "") -> ImportOutcome:
    """Validate every feature, then import all of them or none."""
    _require(user, "areas.add_adminunit")
    known = dict(AdminUnit.objects.values_list("code", "level"))
    plan = parse_feature_collection(
        data, known_codes=known, max_bytes=settings.PCTT_AREAS_MAX_IMPORT_BYTES
    )
    if plan.errors:
        raise AreaImportError(plan)
    outcome = ImportOutcome()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}

    def _record(code: str, old: dict[str, Any], obj: AdminUnit | HazardZone) -> None:
        """What an import changed on an area that existed (geometry: whether it changed)."""
        if len(before) < AUDITED_CHANGES:
            was, now = changes(old, _audited(obj))
            if was:
                before[code], after[code] = was, now

    with transaction.atomic():
        units = {u.code: u for u in AdminUnit.objects.filter(code__in=list(known))}
        for feature in plan.features:  # parents come before children
            # Counts absent from the file leave what the ward entered by hand untouched.
            counts = {name: feature.counts[name] for name in COUNT_FIELDS if name in feature.counts}
            common: dict[str, Any] = {
                "name": feature.name,
                "valid_from": feature.valid_from,
                "valid_to": feature.valid_to,
                "source": source[:300],
            }
            if feature.level == "hazard_zone":
                zone, created = HazardZone.objects.get_or_create(
                    code=feature.code,
                    defaults={"commune": units[feature.parent_code or ""], **common},
                )
                old = {} if created else _audited(zone)
                zone.commune = units[feature.parent_code or ""]
                zone.hazard = feature.hazard or ""
                for key in ("households", "population"):
                    if key in counts:
                        setattr(zone, key, counts[key])
                for key, value in common.items():
                    setattr(zone, key, value)
                zone.set_geometry(feature.geojson)
                zone.save()
                if not created:
                    _record(zone.code, old, zone)
            else:
                level = "commune" if feature.level == "ward" else feature.level
                unit = units.get(feature.code) or AdminUnit(code=feature.code)
                created = unit.pk is None
                old = {} if created else _audited(unit)
                unit.level = level
                unit.parent = units[feature.parent_code] if feature.parent_code else None
                for key, value in {**common, **counts}.items():
                    setattr(unit, key, value)
                unit.set_geometry(feature.geojson)
                unit.save()
                if not created:
                    _record(unit.code, old, unit)
                units[unit.code] = unit
            outcome.created += int(created)
            outcome.updated += int(not created)
            outcome.by_level[feature.level] = outcome.by_level.get(feature.level, 0) + 1
        log_action(
            "pctt.areas.import",
            user=user,
            data={"source": source, "created": outcome.created, "updated": outcome.updated},
            before=before or None,
            after=after or None,
        )
    return outcome


#: An import's audit entry lists what changed on at most this many existing areas.
AUDITED_CHANGES = 1000
_AUDITED_FIELDS = ("name", "valid_from", "valid_to", "source", *COUNT_FIELDS)


def _audited(obj: AdminUnit | HazardZone) -> dict[str, Any]:
    names = [n for n in _AUDITED_FIELDS if hasattr(obj, n)]
    names += ["level", "parent"] if isinstance(obj, AdminUnit) else ["hazard", "commune"]
    values = snapshot(obj, names)
    # The outline itself may be large: its fingerprint shows whether it changed.
    outline = json.dumps(obj.geometry, sort_keys=True).encode() if obj.geometry else b""
    values["geometry"] = hashlib.sha256(outline).hexdigest()[:16] if outline else None
    return values


@dataclass
class ReferenceOutcome:
    provinces: int
    communes: int
    provinces_without_geometry: list[str]


@functools.cache
def _reference_json(name: str) -> Any:
    """Parsed once per process: the files are read-only package data."""
    return json.loads(resources.files("pctt.areas").joinpath("reference", name).read_bytes())


def load_reference(
    *, user: Actor = None, only_provinces: Collection[str] | None = None
) -> ReferenceOutcome:
    """Load the 34 provinces and 3,321 communes/wards (2025) with official codes.

    Geometry comes from a second file keyed by name; names are joined on a key that
    ignores Unicode form, tone-mark placement and the unit prefix ("Tỉnh", "Thành phố").
    Running it twice changes nothing. `only_provinces` (names, any spelling) limits the load,
    e.g. for a quick demo in tests.
    """
    _require(user, "areas.add_adminunit")
    units = _reference_json("dvhcvn_20250701_merges_new_to_old.json")["data"]
    if only_provinces is not None:
        wanted = {admin_unit_key(name) for name in only_provinces}
        units = [u for u in units if admin_unit_key(u["name"]) in wanted]
    shapes = _reference_json("vn_34_provinces_2025.geojson")["features"]
    outline_by_key = {admin_unit_key(f["properties"]["ten_tinh"]): f["geometry"] for f in shapes}
    source = "dvhcvn/20250701 (MIT); TaliaCao/Vietnam-Shape-Map (MIT)"
    missing: list[str] = []
    with transaction.atomic():
        existing = {u.code: u for u in AdminUnit.objects.filter(level__in=["province", "commune"])}
        communes = 0
        for item in units:
            province = existing.get(item["level1_id"]) or AdminUnit(code=item["level1_id"])
            outline = outline_by_key.get(admin_unit_key(item["name"]))
            if outline is None:
                missing.append(item["name"])
            changed = _assign(
                province, name=nfc(item["name"]), level="province", parent=None, source=source
            )
            if outline is not None and province.geometry is None:
                province.set_geometry(mapping(shape(outline)))
                changed = True
            if changed:
                province.save()
            new_communes = []
            for sub in item["level2s"]:
                commune = existing.get(sub["level2_id"])
                if commune is None:
                    commune = AdminUnit(code=sub["level2_id"])
                    _assign(
                        commune,
                        name=nfc(sub["name"]),
                        level="commune",
                        parent=province,
                        source=source,
                    )
                    commune.name_key = admin_unit_key(commune.name)
                    new_communes.append(commune)
                elif _assign(
                    commune, name=nfc(sub["name"]), level="commune", parent=province, source=source
                ):
                    commune.save()
                communes += 1
            AdminUnit.objects.bulk_create(new_communes, batch_size=500)
        log_action(
            "pctt.areas.load_reference",
            user=user,
            data={"provinces": len(units), "communes": communes},
        )
    return ReferenceOutcome(len(units), communes, missing)


def _assign(unit: AdminUnit, **values: Any) -> bool:
    """Set values on unit; tell whether anything changed (so a second load writes nothing)."""
    changed = unit.pk is None
    for key, value in values.items():
        if key == "parent":
            if unit.parent_id != (value.pk if value else None):
                unit.parent = value
                changed = True
        elif getattr(unit, key) != value:
            setattr(unit, key, value)
            changed = True
    return changed
