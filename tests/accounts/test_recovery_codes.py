"""Recovery codes are stored as salted hashes: shown once, each works once, a new set
replaces the old, and codes handed out before the change keep working."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from pctt.accounts import otp, recovery
from pctt.accounts.models import RecoveryCode, RecoveryCodeDevice

pytestmark = pytest.mark.django_db


def _user(name: str = "ap") -> Any:
    return get_user_model().objects.create_user(name, "", "a-long-pass-phrase-42")


def _unthrottle(user: Any) -> None:
    # django-otp backs off after a failure; the tests do not wait it out.
    RecoveryCodeDevice.objects.filter(user=user).update(throttling_failure_count=0)


def test_a_used_code_fails_the_second_time() -> None:
    user = _user()
    codes = otp.new_recovery_codes(user)
    assert otp.verify(user, codes[3]) is not None
    assert otp.verify(user, codes[3]) is None
    _unthrottle(user)
    assert otp.recovery_codes_left(user) == otp.RECOVERY_CODES - 1
    # Spaces and capitals as people type them are accepted.
    spaced = " ".join(codes[4].upper())
    assert otp.verify(user, spaced) is not None


def test_stored_values_are_salted_hashes_not_the_codes() -> None:
    user = _user()
    codes = otp.new_recovery_codes(user)
    digests = list(RecoveryCode.objects.values_list("digest", flat=True))
    assert len(digests) == len(set(codes)) == otp.RECOVERY_CODES
    for digest in digests:
        assert digest.startswith("scrypt$")
        assert not any(code in digest for code in codes)
    # The same code hashed twice differs: each has its own salt.
    assert recovery.hash_code(codes[0]) != recovery.hash_code(codes[0])
    assert not StaticToken.objects.exists()  # nothing in clear anywhere


def test_a_regenerated_set_invalidates_the_old_one() -> None:
    user = _user()
    old = otp.new_recovery_codes(user)
    new = otp.new_recovery_codes(user)
    assert RecoveryCodeDevice.objects.filter(user=user).count() == 1
    assert otp.verify(user, old[0]) is None
    _unthrottle(user)
    assert otp.verify(user, new[0]) is not None


def test_one_users_code_does_not_open_another_account() -> None:
    mine, theirs = _user("a"), _user("b")
    codes = otp.new_recovery_codes(mine)
    otp.new_recovery_codes(theirs)
    assert otp.verify(theirs, codes[0]) is None
    assert otp.verify(mine, codes[0]) is not None


@pytest.mark.parametrize(
    "typed", ["", "   ", "x" * 5000, "' OR 1=1 --", "\x00\x00", "scrypt$4096$8$1$AA==$AA=="]
)
def test_hostile_input_matches_nothing(typed: str) -> None:
    user = _user()
    otp.new_recovery_codes(user)
    assert otp.verify(user, typed) is None
    assert otp.recovery_codes_left(user) == otp.RECOVERY_CODES


@pytest.mark.parametrize(
    "stored",
    ["", "plain-code", "scrypt$x$8$1$AA==$AA==", "md5$1$2$3$4$5", "scrypt$4096$8$1$!!$AA=="],
)
def test_a_malformed_stored_hash_matches_nothing(stored: str) -> None:
    assert recovery.matches("abcdefgh", stored) is False


def test_after_a_wrong_code_the_device_backs_off() -> None:
    user = _user()
    codes = otp.new_recovery_codes(user)
    assert otp.verify(user, "wrongcode") is None
    # Throttled: even a right code is refused until the back-off has passed.
    assert otp.verify(user, codes[0]) is None
    _unthrottle(user)
    assert otp.verify(user, codes[0]) is not None


def test_the_migration_hashes_the_codes_people_already_hold() -> None:
    user = _user()
    static = StaticDevice.objects.create(user=user, name=otp.RECOVERY_NAME, confirmed=True)
    held = ["abcd2345", "efgh6723"]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=t) for t in held])
    migration = importlib.import_module("pctt.accounts.migrations.0003_hashed_recovery_codes")
    migration.hash_clear_codes(apps, None)
    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert otp.recovery_codes_left(user) == 2
    assert not RecoveryCode.objects.filter(digest__contains="abcd2345").exists()
    assert otp.verify(user, held[1]) is not None
    assert otp.verify(user, held[1]) is None
