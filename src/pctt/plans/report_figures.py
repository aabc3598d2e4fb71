"""The figures of a report, computed from activities and frozen into the report row as JSON.

A report is a record of what was sent upward: regenerating the .docx later gives the same
numbers even if activities are added afterwards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pctt.plans import indicators, queries
from pctt.plans.models import Activity, Clause, Plan
from pctt.plans.models.activities import ActivityKind
from pctt.plans.periods import Period


def compute(plan: Plan, period: Period, today: date) -> dict[str, Any]:
    facts = queries.facts(plan, period)
    summary = indicators.summarise(facts)
    groups = queries.ward_groups(plan)
    coverage = indicators.coverage(facts, groups)
    labels = dict(
        plan.clauses.filter(kind__in=[Clause.Kind.THEME, Clause.Kind.FORM]).values_list(
            "code", "label"
        )
    )
    kinds = dict(ActivityKind.choices)
    tasks = queries.task_statuses(plan, period, today)
    warnings = Activity.objects.filter(
        plan=plan,
        source=Activity.Source.WARNING,
        held_on__range=(period.starts_on, period.ends_on),
    )
    return {
        "period": {
            "kind": period.kind,
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
            "label": period.label_vi(),
        },
        "activities": summary.activities,
        "participants": summary.participants,
        "reached_estimate": summary.reached_estimate,
        "by_group_field": summary.by_group_field,
        "by_theme": [[code, labels.get(code, code), n] for code, n in summary.by_theme.items()],
        "by_form": [[code, labels.get(code, code), n] for code, n in summary.by_form.items()],
        "by_kind": [[str(kinds.get(k, k)), n] for k, n in summary.by_kind.items()],
        "by_organisation": [[name, n] for name, n in summary.by_organisation.items()],
        "participants_by_month": summary.participants_by_month,
        "coverage": [[row.name, row.activities, row.participants] for row in coverage],
        "groups_without_activity": [row.name for row in coverage if row.activities == 0],
        "warnings_sent": warnings.count(),
        "tasks": {
            state: sum(1 for t in tasks if t.status == state)
            for state in ("done", "due", "overdue", "upcoming")
        },
        "overdue": [
            [t.organisation.name, t.task.title, t.due_on.isoformat()]
            for t in tasks
            if t.status == "overdue"
        ],
    }
