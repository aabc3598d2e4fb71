"""Background tasks of the ops app. They receive ids only and are safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def send_deletion_code(request_id: int) -> bool:
    from pctt.ops.deletion import deliver_deletion_code

    return deliver_deletion_code(request_id)


@task()
def apply_retention() -> dict[str, int]:
    """Daily: the retention periods of docs/settings.md (`pctt retention` does the same)."""
    from pctt.ops.retention import run_retention

    return run_retention().as_dict()
