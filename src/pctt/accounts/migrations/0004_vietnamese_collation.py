"""PostgreSQL: an ICU collation for Vietnamese names with numbers by value ("Tổ 2" < "Tổ 10"),
used by pctt.formats.collation.ViOrder. SQLite gets its collation per connection instead."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# The name pctt.formats.collation.POSTGRES_COLLATION uses; fixed here as migrations are history.
POSTGRES_COLLATION = "pctt-vi"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE COLLATION IF NOT EXISTS "{POSTGRES_COLLATION}"'
            " (provider = icu, locale = 'vi-u-kn-true')"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{POSTGRES_COLLATION}"')


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_hashed_recovery_codes")]
    operations = [migrations.RunPython(create, drop)]
