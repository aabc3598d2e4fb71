"""Recovery codes move from django-otp's static devices (codes in clear) to hashed codes.

Each clear code left is hashed with its own salt (the same scheme as
`pctt.accounts.recovery`, written out here so this migration does not change if that module
does), then the static devices and their tokens are deleted. Users keep the codes they hold.
"""

import base64
import hashlib
import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RECOVERY_NAME = "recovery"


def _hash(code: str) -> str:
    n, r, p = 2**12, 8, 1
    salt = secrets.token_bytes(16)
    normal = "".join(code.split()).lower()
    digest = hashlib.scrypt(
        normal.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 * n * r + 2**20
    )
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def hash_clear_codes(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for static in StaticDevice.objects.filter(name=RECOVERY_NAME):
        device = RecoveryCodeDevice.objects.create(
            user_id=static.user_id, name=RECOVERY_NAME, confirmed=static.confirmed
        )
        tokens = StaticToken.objects.filter(device=static).values_list("token", flat=True)
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(device=device, digest=_hash(token)) for token in tokens]
        )
        static.delete()  # its tokens go with it (cascade): no code is left in clear


def no_way_back(apps, schema_editor):
    # The clear codes cannot be recovered from their hashes; going back leaves users to
    # generate new codes.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_origin_and_login_failures"),
        ("otp_static", "0003_add_timestamps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RecoveryCodeDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.", max_length=64
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(default=True, help_text="Is this device ready for use?"),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "recovery code set",
                "verbose_name_plural": "recovery code sets",
            },
        ),
        migrations.CreateModel(
            name="RecoveryCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=200)),
                (
                    "device",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="accounts.recoverycodedevice",
                    ),
                ),
            ],
            options={
                "verbose_name": "recovery code",
                "verbose_name_plural": "recovery codes",
            },
        ),
        migrations.RunPython(hash_clear_codes, no_way_back),
    ]
