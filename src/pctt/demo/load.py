"""`pctt demo`: a fictional ward with people, organisations, users and subscribers.

Idempotent: a second run finds everything in place and writes nothing.
"""

from __future__ import annotations

import importlib
import json
import random
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point

from pctt.accounts.models import Membership
from pctt.accounts.roles import ROLES, RoleKey, group_for, sync_roles
from pctt.alerts.defaults import install_default_templates
from pctt.areas.actions import import_areas, load_reference
from pctt.areas.models import AdminUnit, WardSetting
from pctt.demo import geometry
from pctt.dispatch.models import Consent, Subscriber
from pctt.hazards.models import Station
from pctt.plans.models import Organisation

WARD_CODE = "DEMO-00001"
WARD_NAME = "Phường Bến Sông (hư cấu)"
PROVINCE_NAME = "Tỉnh Lào Cai"
SUBSCRIBERS = 300
FICTIONAL_SOURCE = "Dữ liệu minh hoạ hư cấu của pctt (fictional demo data)"

ORGANISATIONS = [
    ("Ban Xây dựng Đảng Đảng uỷ phường", Organisation.Kind.PARTY_BUILDING_BOARD),
    ("Uỷ ban nhân dân phường", Organisation.Kind.PEOPLES_COMMITTEE),
    ("Uỷ ban Mặt trận Tổ quốc Việt Nam phường", Organisation.Kind.FATHERLAND_FRONT),
    ("Đoàn Thanh niên phường", Organisation.Kind.YOUTH_UNION),
    ("Hội Liên hiệp Phụ nữ phường", Organisation.Kind.WOMENS_UNION),
    ("Hội Nông dân phường", Organisation.Kind.FARMERS_ASSOCIATION),
    ("Hội Cựu chiến binh phường", Organisation.Kind.VETERANS_ASSOCIATION),
]

#: role → (username, organisation kind the user acts for)
DEMO_USERS: dict[RoleKey, tuple[str, str | None]] = {
    RoleKey.ADMINISTRATOR: ("quantri", None),
    RoleKey.ALERT_OPERATOR: ("soancanhbao", Organisation.Kind.PEOPLES_COMMITTEE),
    RoleKey.ALERT_APPROVER: ("pheduyet", Organisation.Kind.PEOPLES_COMMITTEE),
    RoleKey.EDITOR: ("bientap", Organisation.Kind.PARTY_BUILDING_BOARD),
    RoleKey.CONTENT_REVIEWER: ("duyetnoidung", Organisation.Kind.PARTY_BUILDING_BOARD),
    RoleKey.FOCAL_POINT: ("daumoi.phunu", Organisation.Kind.WOMENS_UNION),
    RoleKey.TRIAGE_OFFICER: ("tiepnhan", Organisation.Kind.FATHERLAND_FRONT),
    RoleKey.RADIO_OFFICER: ("truyenthanh", Organisation.Kind.PEOPLES_COMMITTEE),
    RoleKey.VIEWER: ("captren", None),
}


def _areas_collection(province_code: str) -> dict[str, object]:
    rng = random.Random(54)  # noqa: S311 - fictional numbers
    features = [
        geometry.feature(
            geometry.ward_polygon(),
            code=WARD_CODE,
            name=WARD_NAME,
            level="commune",
            parent_code=province_code,
            valid_from="2025-07-01",
        )
    ]
    for index, polygon in enumerate(geometry.group_polygons(), start=1):
        households = rng.randint(140, 380)
        features.append(
            geometry.feature(
                polygon,
                code=f"DEMO-TDP-{index:02d}",
                name=f"Tổ dân phố {index}",
                level="residential_group",
                parent_code=WARD_CODE,
                households=households,
                population=int(households * rng.uniform(3.2, 4.1)),
                elderly_alone=rng.randint(2, 14),
                disabled=rng.randint(1, 9),
                young_children=rng.randint(15, 60),
                valid_from="2025-07-01",
            )
        )
    features.append(
        geometry.feature(
            geometry.flood_zone(),
            code="DEMO-VUNG-NGAP",
            name="Vùng ven sông Cái dễ ngập",
            level="hazard_zone",
            hazard="flood",
            parent_code=WARD_CODE,
        )
    )
    features.append(
        geometry.feature(
            geometry.landslide_zone(),
            code="DEMO-VUNG-SATLO",
            name="Sườn đồi Gò Mây có nguy cơ sạt lở",
            level="hazard_zone",
            hazard="landslide",
            parent_code=WARD_CODE,
        )
    )
    return {"type": "FeatureCollection", "features": features}


def _ensure_areas(*, full_reference: bool) -> AdminUnit:
    province = AdminUnit.objects.by_name(PROVINCE_NAME).filter(level="province").first()
    if province is None:
        load_reference(only_provinces=None if full_reference else [PROVINCE_NAME])
        province = AdminUnit.objects.by_name(PROVINCE_NAME).get(level="province")
    ward = AdminUnit.objects.filter(code=WARD_CODE).first()
    if ward is None:
        data = json.dumps(_areas_collection(province.code)).encode()
        import_areas(data, source=FICTIONAL_SOURCE)
        ward = AdminUnit.objects.get(code=WARD_CODE)
    setting = WardSetting.load()
    if setting.ward_id != ward.pk:
        setting.ward = ward
        setting.save()
    return ward


def _ensure_organisations(ward: AdminUnit) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for name, kind in ORGANISATIONS:
        orgs[kind], _ = Organisation.objects.get_or_create(
            ward=ward, name=name, defaults={"kind": kind}
        )
    for group in AdminUnit.objects.groups().filter(parent=ward):
        Organisation.objects.get_or_create(
            ward=ward,
            name=f"Chi bộ {group.name}",
            defaults={"kind": Organisation.Kind.PARTY_CELL, "area": group},
        )
    return orgs


def _ensure_users(orgs: dict[str, Organisation]) -> None:
    sync_roles()
    path = settings.VAR_DIR / "demo-logins.json"
    logins: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    user_model = get_user_model()
    for role, (username, org_kind) in DEMO_USERS.items():
        user = user_model.objects.filter(username=username).first()
        if user is None or username not in logins:
            password = secrets.token_urlsafe(9)
            if user is None:
                user = user_model(username=username, first_name=ROLES[role].group_name)
            user.set_password(password)
            # The demo administrator also manages Wagtail's own settings and users.
            user.is_superuser = role == RoleKey.ADMINISTRATOR
            user.save()
            logins[username] = password
        user.groups.add(group_for(role))
        if org_kind is not None:
            Membership.objects.get_or_create(user=user, organisation=orgs[org_kind])
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(logins, indent=1, ensure_ascii=False))
    path.chmod(0o600)


def _ensure_station(ward: AdminUnit) -> None:
    lon, lat = geometry.station_point()
    Station.objects.get_or_create(
        code="DEMO-TV-01",
        defaults={
            "name": "Trạm thuỷ văn Bến Sông (hư cấu)",
            "kind": Station.Kind.WATER_LEVEL,
            "river": "Sông Cái (hư cấu)",
            "lon": lon,
            "lat": lat,
            "unit": "m",
            "datum": "Hệ cao độ Quốc gia (giả định)",
            "ward": ward,
            "is_fictional": True,
        },
    )


def _ensure_subscribers(ward: AdminUnit) -> None:
    if Subscriber.objects.filter(is_fictional=True).exists():
        return
    rng = random.Random(91)  # noqa: S311 - fictional people
    groups = list(AdminUnit.objects.groups().filter(parent=ward).order_by("code"))
    now = timezone.now()
    subscribers = []
    for index in range(SUBSCRIBERS):
        group = groups[index % len(groups)]
        polygon = group.shape()
        assert polygon is not None
        min_x, min_y, max_x, max_y = polygon.bounds
        while True:
            lon, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if polygon.contains(Point(lon, lat)):
                break
        # example.org is reserved (RFC 2606): these addresses reach nobody.
        subscribers.append(
            Subscriber(
                email=f"cu-dan-{index + 1:03d}@example.org",
                residential_group=group,
                lon=round(lon, 6),
                lat=round(lat, 6),
                is_fictional=True,
            )
        )
    created = Subscriber.objects.bulk_create(subscribers)
    Consent.objects.bulk_create(
        Consent(
            subscriber=s, channel=Consent.Channel.EMAIL, method=Consent.Method.DEMO, given_at=now
        )
        for s in created
    )


def _load_app_demos(ward: AdminUnit) -> None:
    """Each app may add its demo content in `pctt.<app>.demo.load(ward)` (idempotent)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("pctt.") or config.name == "pctt.demo":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        module.load(ward)


@transaction.atomic
def load_demo(*, full_reference: bool = True, app_content: bool = True) -> str:
    """`full_reference=False` loads only the demo's own province and `app_content=False`
    skips the apps' own demo content (library pages, activities…): both keep tests fast."""
    ward = _ensure_areas(full_reference=full_reference)
    orgs = _ensure_organisations(ward)
    _ensure_users(orgs)
    _ensure_station(ward)
    install_default_templates()
    if app_content:
        _load_app_demos(ward)
    _ensure_subscribers(ward)
    groups = AdminUnit.objects.groups().filter(parent=ward).count()
    return (
        f"{ward.name}: {groups} residential groups, "
        f"{ward.hazard_zones.count()} hazard zones, "
        f"{Organisation.objects.filter(ward=ward).count()} organisations, "
        f"{Subscriber.objects.filter(is_fictional=True).count()} fictional subscribers"
        f" (as of {timezone.localdate():%d/%m/%Y})"
    )


def print_logins() -> None:
    path = settings.VAR_DIR / "demo-logins.json"
    logins = json.loads(path.read_text()) if path.exists() else {}
    print("\nDemo logins (fictional ward; passwords are kept in var/demo-logins.json):")
    for role, (username, _org) in DEMO_USERS.items():
        print(f"  {ROLES[role].group_name:<28} {username:<14} {logins.get(username, '?')}")
