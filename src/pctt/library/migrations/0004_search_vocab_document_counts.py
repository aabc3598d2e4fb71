"""SQLite: the search vocabulary also counts the documents holding each term, so queries can
leave out words most documents hold (see pctt.library.search.backends.prune_common).

Counts are filled from FTS5's own statistics (an fts5vocab table, dropped afterwards).
PostgreSQL is unchanged.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE library_search_vocab ADD COLUMN docs INTEGER NOT NULL DEFAULT 0",
    "CREATE VIRTUAL TABLE temp.library_search_counts USING fts5vocab(main, library_search, 'row')",
    "UPDATE library_search_vocab SET docs = coalesce((SELECT c.doc FROM temp.library_search_counts"
    " AS c WHERE c.term = library_search_vocab.term), 0)",
    "DROP TABLE temp.library_search_counts",
]
BACKWARD = ["ALTER TABLE library_search_vocab DROP COLUMN docs"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_index_tables")]
    operations = [migrations.RunPython(forward, backward)]
