"""The portal's search index: SQLite FTS5, or PostgreSQL full-text (tsvector + GIN).

The DDL is written out here (not imported from the app) so that this migration keeps
meaning what it meant; pctt.library.search.backends creates the same shape for evaluations.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_search USING fts5("
    "title, body, tags UNINDEXED, tokenize='unicode61 remove_diacritics 0')",
    "CREATE TABLE IF NOT EXISTS library_search_vocab (term TEXT PRIMARY KEY) WITHOUT ROWID",
]
POSTGRES = [
    "CREATE TABLE IF NOT EXISTS library_search (id bigint PRIMARY KEY, title text NOT NULL,"
    " body text NOT NULL, tags text NOT NULL, tsv tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS library_search_tsv ON library_search USING gin (tsv)",
    "CREATE TABLE IF NOT EXISTS library_search_vocab (term text PRIMARY KEY)",
]
DROP = ["DROP TABLE IF EXISTS library_search", "DROP TABLE IF EXISTS library_search_vocab"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0002_seed_taxonomies")]
    operations = [migrations.RunPython(create, drop)]
