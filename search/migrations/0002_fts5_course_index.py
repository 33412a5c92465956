"""The FTS5 full-text table of the embedded search backend (SQLite only; other databases skip it)."""

from django.db import migrations

FTS_TABLE = "marketplace_search_fts"

CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize='porter unicode61 remove_diacritics 2')"
)


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("marketplace_search", "0001_search_index_tables")]
    operations = [migrations.RunPython(create_fts, drop_fts)]
