"""Background tasks. They receive ids only and are safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def push_report(report_id: int) -> str:
    """One attempt to send a report to the province; schedules the next on a passing error."""
    from pctt.plans.upward_push import attempt

    return attempt(report_id)
