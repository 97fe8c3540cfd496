"""On PostgreSQL, refuse UPDATE, DELETE and TRUNCATE of register entries and attachments in the database itself."""

from django.db import migrations

TABLES = ["registre_registerentry", "registre_registerattachment"]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION registre_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'registre: % on % is not allowed, the register is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

-- Truncating an empty table loses nothing (test databases are flushed this way); any row makes it refuse.
CREATE OR REPLACE FUNCTION registre_refuse_truncate() RETURNS trigger AS $$
DECLARE
    has_rows boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO has_rows;
    IF has_rows THEN
        RAISE EXCEPTION 'registre: TRUNCATE on % is not allowed, the register is append-only', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION registre_refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION registre_refuse_truncate();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS registre_refuse_change();
DROP FUNCTION IF EXISTS registre_refuse_truncate();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    for table in TABLES:
        schema_editor.execute(TRIGGERS.format(table=table))


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP_TRIGGERS.format(table=table))
    schema_editor.execute(DROP_FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [("registre", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
