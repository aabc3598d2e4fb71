"""Submissions arriving by SMS keyword or through the messaging app's webhook.

:func:`handle_inbound_sms` has the same shape as ``pctt.dispatch.actions.handle_inbound_sms``
(sender, text → reply or None) so the SMS gateway webhook can try dispatch first (STOP,
opt-in codes) and then this. Replies never repeat the resident's number.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pctt.community import abuse, actions, keywords, photos
from pctt.community.forms import PHOTO_ERRORS
from pctt.community.models import AnswerChannel, Kind, Source
from pctt.community.models.submissions import TEXT_MAX
from pctt.core import phone as phones

MAX_INBOUND = 1600  # ten concatenated SMS; longer is not a resident typing on a phone


def handle_inbound_sms(sender: str, text: str) -> str | None:
    if not isinstance(sender, str) or not isinstance(text, str) or len(text) > MAX_INBOUND:
        return None
    try:
        number = phones.normalise(sender)
    except phones.PhoneError:
        return None
    wanted = keywords.parse(text)
    if wanted is None:
        return None
    if not abuse.allow("sms", number):
        return None  # no reply: replying to a flood would cost the ward money
    if wanted.action == "delete":
        if actions.erase_contact_by_reference(wanted.reference, phone=number):
            return _("PCTT: your number has been deleted from message %(ref)s.") % {
                "ref": wanted.reference
            }
        return _("PCTT: nothing to delete for this code.")
    try:
        submission = actions.receive(
            actions.Intake(
                kind=wanted.kind,
                source=Source.SMS,
                text=wanted.text[:TEXT_MAX],
                answer_channel=AnswerChannel.SMS,
                contact=number,
                # Texting the keyword asks for an answer by SMS: the reply says how to delete.
                consent=True,
            )
        )
    except ValidationError:
        return None
    return _(
        "PCTT: received, code %(ref)s. We answer by SMS. To delete your number: XOA %(ref)s"
    ) % {"ref": submission.reference}


def handle_app_message(
    app_user: str, text: str, link: str = "", photo: bytes | None = None
) -> str | None:
    """A message to the ward's official account in the messaging app. A keyword picks the
    kind; without one it is a question. The answer goes back in the same conversation.

    ``photo``: the bytes of an image attached to the message. It goes through the same
    checks and re-encoding as the portal's photos (type, size, pixels; no metadata and no
    location kept, since this channel cannot ask for consent). An unusable photo does not
    lose the message: the text is kept and the reply says why the photo was not."""
    if not app_user or len(text) > MAX_INBOUND or not (text.strip() or photo):
        return None
    if not abuse.allow("app", app_user):
        return None
    photo_jpeg, photo_problem = None, ""
    if photo is not None:
        try:
            photo_jpeg = photos.clean(photo, keep_location=False).jpeg
        except photos.PhotoError as exc:
            photo_problem = str(PHOTO_ERRORS.get(exc.code, PHOTO_ERRORS["unreadable"]))
    if not text.strip():
        text = _("(a photo without text)")
    wanted = keywords.parse(text)
    kind, body = (
        (wanted.kind, wanted.text)
        if wanted and wanted.action == "submit"
        else (
            Kind.QUESTION,
            text.strip(),
        )
    )
    try:
        submission = actions.receive(
            actions.Intake(
                kind=kind,
                source=Source.APP,
                text=body[:TEXT_MAX],
                link=link[:500],
                photo_jpeg=photo_jpeg,
                answer_channel=AnswerChannel.APP,
                contact=app_user,
                consent=True,
            )
        )
    except ValidationError:
        return None
    reply = _("Received, code %(ref)s. We will answer here.") % {"ref": submission.reference}
    if photo_problem:
        reply += " " + _("The photo was not kept: %(reason)s") % {"reason": photo_problem}
    return reply
