"""Ordering names the Vietnamese way in the database: A Ă Â B C D Đ E Ê … (issue #13).

Binary ordering puts "Đồi" after "Zô" and "Ăn" after "Yên"; Python lists use
``pctt.core.text.vi_sort_key``, and database listings (paginated, so they cannot be sorted in
Python) order by ``ViOrder("name")``:

- SQLite: a collation ``vi`` that compares with ``vi_sort_key``, registered on every new
  connection (``register_sqlite_collation``, connected in ``AccountsConfig.ready``);
- PostgreSQL: the ICU collation ``pctt-vi`` (locale ``vi-u-kn-true``: numbers by value),
  created by migration accounts 0004;
- any other database: its own ordering (no collation clause).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import CharField, Func

from pctt.core.text import vi_sort_key

__all__ = ["POSTGRES_COLLATION", "SQLITE_COLLATION", "ViOrder", "register_sqlite_collation"]

SQLITE_COLLATION = "vi"
POSTGRES_COLLATION = "pctt-vi"  # created by accounts migration 0004 (ICU, numbers by value)


# SQLite calls the collation for every comparison of a sort (n log n of them): keys are cached,
# so ordering the 3,321 communes computes each key once.
_key = functools.lru_cache(maxsize=65_536)(vi_sort_key)


def _compare(a: str | None, b: str | None) -> int:
    key_a, key_b = _key(a or ""), _key(b or "")
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Receiver of ``connection_created``: teach a new SQLite connection the ``vi`` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


class ViOrder(Func):
    """A text column in Vietnamese alphabetical order: ``qs.order_by(ViOrder("name").asc())``."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template=f'%(expressions)s COLLATE "{SQLITE_COLLATION}"'
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template=f'%(expressions)s COLLATE "{POSTGRES_COLLATION}"'
        )
