"""Second factor (TOTP, django-otp) for approvers and administrators, recovery codes, and
re-authentication before approving an Actual warning.

Who must use a second factor: the roles named in `PCTT_TWO_FACTOR_ROLES` (administrators and
alert approvers by default), every superuser, and anyone holding the approve permission. Such
a user who signed in with a password alone is sent to `/admin/2fa/` by
`AccountSecurityMiddleware` until they enrol (first time) or enter a code.
"""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from pctt.accounts import recovery
from pctt.accounts.models import RecoveryCode, RecoveryCodeDevice
from pctt.accounts.roles import ROLES, RoleKey

#: Session keys: when the user signed in, was last seen, last proved password + code.
AUTH_AT = "pctt_auth_at"
SEEN_AT = "pctt_seen_at"
REAUTH_AT = "pctt_reauth_at"

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
RECOVERY_CODES = 10
APPROVE_PERMISSION = "alerts.approve_alert"

User = AbstractBaseUser | AnonymousUser


def requires_second_factor(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_pctt_needs_otp", None)
    if cached is not None:
        return bool(cached)
    keys = {RoleKey(key) for key in settings.PCTT_TWO_FACTOR_ROLES}
    names = [ROLES[key].group_name for key in keys]
    needed = (
        user.is_superuser
        or user.groups.filter(name__in=names).exists()
        or (RoleKey.ALERT_APPROVER in keys and user.has_perm(APPROVE_PERMISSION))
    )
    user._pctt_needs_otp = needed
    return bool(needed)


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_totp(user: Any) -> TOTPDevice:
    """The device being enrolled: a fresh secret the first time, the same one on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG data URI, drawn here: no image is fetched anywhere."""
    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working); the caller shows the
    new ones once. Only their salted hashes are stored, so they cannot be shown again."""
    codes = [recovery.new_code() for _ in range(RECOVERY_CODES)]
    digests = [recovery.hash_code(code) for code in codes]  # slow on purpose: outside the lock
    with transaction.atomic():
        RecoveryCodeDevice.objects.filter(user=user).delete()
        device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=d) for d in digests])
    return codes


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user: Any, token: str) -> Device | None:
    """The confirmed device (authenticator or recovery codes) that accepts *token*.
    Each device throttles repeated failures (django-otp); a recovery code works once."""
    token = recovery.normalise(token)
    if not token:
        return None
    # Six digits go to the authenticator, anything else to the recovery codes: a mistyped
    # code then throttles only the device it was meant for.
    devices: list[Device] = []
    if token.isdigit() and len(token) == 6:
        totp = confirmed_totp(user)
        if totp is not None:
            devices.append(totp)
    else:
        devices.extend(RecoveryCodeDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        found = django_otp.verify_token(user, device.persistent_id, token)
        if found is not None:
            return found
    return None


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session has passed the second factor with *device*: a new session key (no
    fixation), the device remembered by django-otp, and the re-authentication clock set."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[REAUTH_AT] = time.time()


def recently_authenticated(request: HttpRequest) -> bool:
    """Password and code proved within `PCTT_REAUTH_SECONDS` (signing in counts)."""
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return False
    stamp = request.session.get(REAUTH_AT)
    return stamp is not None and time.time() - float(stamp) <= settings.PCTT_REAUTH_SECONDS
