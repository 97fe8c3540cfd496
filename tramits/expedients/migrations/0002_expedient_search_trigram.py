"""On PostgreSQL, a trigram index lets "text contains" searches on number, names and DNI use an index."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS expedients_search_text_trgm
    ON expedients_expedient USING gin (search_text gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS expedients_search_text_trgm;"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("expedients", "0001_expedients_terms_documents_timeline")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
