"""The back office's search index: every library page as its latest revision reads (drafts
included), with the same engine as the portal's index (see pctt.library.indexing)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_admin_search USING fts5("
    "title, body, tags UNINDEXED, tokenize='unicode61 remove_diacritics 0')",
    "CREATE TABLE IF NOT EXISTS library_admin_search_vocab (term TEXT PRIMARY KEY,"
    " docs INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
]
POSTGRES = [
    "CREATE TABLE IF NOT EXISTS library_admin_search (id bigint PRIMARY KEY, title text NOT NULL,"
    " body text NOT NULL, tags text NOT NULL, tsv tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS library_admin_search_tsv ON library_admin_search USING gin (tsv)",
    "CREATE TABLE IF NOT EXISTS library_admin_search_vocab (term text PRIMARY KEY)",
]
DROP = ["DROP TABLE IF EXISTS library_admin_search", "DROP TABLE IF EXISTS library_admin_search_vocab"]


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0004_search_vocab_document_counts")]
    operations = [migrations.RunPython(create, drop)]
