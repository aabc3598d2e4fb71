"""Background tasks. They receive ids only and are safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def send_answer(submission_id: int) -> bool:
    from pctt.community.delivery import send_answer as send

    return send(submission_id)


@task()
def purge_expired_contacts() -> int:
    from pctt.community.actions import purge_expired_contacts as purge

    return purge()
