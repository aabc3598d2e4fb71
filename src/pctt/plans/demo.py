"""Demo content: the ward's plan 77-KH/ĐU and a season of fictional activities.

Idempotent: the plan is refreshed by clause code; activities are added only once.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pctt.areas.models import AdminUnit
from pctt.plans import actions
from pctt.plans.models import Activity, Organisation
from pctt.plans.seed import load_seed_plan

#: (organisation kind, activity kind, themes, typical participants, share of women)
PATTERNS: list[tuple[str, str, list[str], int, float]] = [
    ("party_cell", "party_cell_meeting", ["C1", "C2"], 25, 0.4),
    ("womens_union", "meeting", ["C4"], 40, 1.0),
    ("womens_union", "door_to_door", ["C4"], 30, 0.7),
    ("youth_union", "social_post", ["C4", "C5"], 0, 0.0),
    ("youth_union", "drill", ["C4"], 35, 0.4),
    ("farmers_association", "leaflets", ["C3", "C4"], 60, 0.5),
    ("veterans_association", "meeting", ["C1", "C7"], 30, 0.1),
    ("fatherland_front", "conference", ["C1", "C3"], 80, 0.5),
    ("peoples_committee", "loudspeaker", ["C3", "C4"], 0, 0.0),
    ("party_building_board", "conference", ["C2", "C7"], 60, 0.4),
]
SEASON_DAYS = 120
ACTIVITIES = 60


def load(ward: AdminUnit) -> None:
    load_seed_plan(ward)
    if Activity.objects.filter(source=Activity.Source.MANUAL, plan__ward=ward).exists():
        return
    admin = get_user_model().objects.filter(username="quantri").first()
    if admin is None:
        return
    rng = random.Random(77)  # noqa: S311 - fictional activities
    groups = list(AdminUnit.objects.groups().filter(parent=ward).order_by("code"))
    organisations = {
        o.kind: o for o in Organisation.objects.filter(ward=ward).exclude(kind="party_cell")
    }
    today = timezone.localdate()
    # The last two groups get nothing this season, so the coverage view has gaps to show.
    reachable = groups[:-2] if len(groups) > 3 else groups
    cells = list(
        Organisation.objects.filter(ward=ward, kind="party_cell", area__in=reachable).order_by(
            "name"
        )
    )
    for index in range(ACTIVITIES):
        org_kind, kind, themes, size, women = PATTERNS[index % len(PATTERNS)]
        if org_kind == "party_cell":
            organisation = cells[index % len(cells)] if cells else None
            group_ids = [organisation.area_id] if organisation and organisation.area_id else []
        else:
            organisation = organisations.get(org_kind)
            group_ids = [g.pk for g in rng.sample(reachable, k=min(2, len(reachable)))]
        if organisation is None:
            continue
        participants = int(size * rng.uniform(0.6, 1.4))
        actions.record_activity(
            user=admin,
            organisation=organisation,
            data=actions.ActivityInput(
                kind=kind,
                held_on=today - timedelta(days=rng.randint(0, SEASON_DAYS)),
                group_ids=group_ids,
                theme_codes=themes,
                participants=participants,
                women=int(participants * women),
                elderly=int(participants * 0.2),
                youth=int(participants * (0.6 if org_kind == "youth_union" else 0.1)),
                copies=participants * 2 if kind == "leaflets" else 0,
                description="Hoạt động minh hoạ (hư cấu)",
            ),
        )
