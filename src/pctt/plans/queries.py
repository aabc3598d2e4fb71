"""Read activities, tasks and groups from the database as the plain records indicators count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pctt.areas.models import AdminUnit
from pctt.core.text import vi_sort_key
from pctt.plans import indicators, schedule
from pctt.plans.models import Activity, Organisation, PeriodicTask, Plan
from pctt.plans.periods import Period


def facts(plan: Plan, period: Period) -> list[indicators.Fact]:
    activities = (
        Activity.objects.filter(plan=plan, held_on__range=(period.starts_on, period.ends_on))
        .select_related("organisation", "form")
        .prefetch_related("themes", "groups")
    )
    return [
        indicators.Fact(
            held_on=a.held_on,
            organisation=a.organisation.name,
            kind=a.kind,
            form=a.form.code if a.form else "",
            themes=tuple(t.code for t in a.themes.all()),
            group_ids=tuple(g.pk for g in a.groups.all()),
            participants=a.participants,
            women=a.women,
            ethnic_minority=a.ethnic_minority,
            disabled=a.disabled,
            elderly=a.elderly,
            youth=a.youth,
            estimate=a.reach_is_estimate,
            households=a.households,
        )
        for a in activities
    ]


def ward_groups(plan: Plan) -> list[tuple[int, str]]:
    return list(
        AdminUnit.objects.groups()
        .filter(parent_id=plan.ward_id)
        .order_by("code")
        .values_list("pk", "name")
    )


@dataclass(frozen=True)
class TaskStatus:
    task: PeriodicTask
    organisation: Organisation
    due_on: date
    status: str


def task_statuses(plan: Plan, period: Period, today: date) -> list[TaskStatus]:
    """Each calendar task of each organisation it applies to, for each occurrence due in the
    period, with its status."""
    organisations = defaultdict(list)
    for org in sorted(
        Organisation.objects.filter(ward_id=plan.ward_id), key=lambda o: vi_sort_key(o.name)
    ):
        organisations[org.kind].append(org)
    done: defaultdict[tuple[int, str], list[date]] = defaultdict(list)
    for org_id, kind, held_on in Activity.objects.filter(plan=plan).values_list(
        "organisation_id", "kind", "held_on"
    ):
        done[(org_id, kind)].append(held_on)
        done[(org_id, "*")].append(held_on)
    rows: list[TaskStatus] = []
    for task in plan.tasks.all():
        rule = schedule.TaskRule(task.pk, task.recurrence, task.due_day, task.due_on)
        for occurrence in schedule.occurrences(rule, period.starts_on, period.ends_on):
            for org in organisations[task.organisation_kind]:
                kinds = task.activity_kinds or ["*"]
                dates = [d for k in kinds for d in done[(org.pk, k)]]
                state = schedule.status(occurrence, dates, today)
                rows.append(TaskStatus(task, org, occurrence.due_on, state))
    return sorted(rows, key=lambda r: (r.due_on, vi_sort_key(r.organisation.name)))
