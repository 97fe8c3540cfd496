import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tramits.registre.models import AppendOnlyError, RegisterAttachment, RegisterEntry

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers exist on PostgreSQL")


def tamper(sql: str, params: list | None = None) -> None:
    """Change rows behind the application's back, as someone with database access could."""
    tables = ["registre_registerentry", "registre_registerattachment"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks while altering
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_register", stdout=out)
    return out.getvalue()


@pytest.fixture
def three_entries(make_entry):
    return [make_entry(subject=f"Sol·licitud {n}") for n in (1, 2, 3)]


class TestAppendOnly:
    def test_saving_an_existing_entry_raises(self, make_entry):
        entry = make_entry()
        entry.subject = "Canviat"
        with pytest.raises(AppendOnlyError):
            entry.save()

    def test_deleting_raises(self, make_entry):
        entry = make_entry()
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            entry.attachments.get().delete()

    def test_queryset_update_and_delete_raise(self, make_entry):
        make_entry()
        with pytest.raises(AppendOnlyError):
            RegisterEntry.objects.update(subject="x")
        with pytest.raises(AppendOnlyError):
            RegisterEntry.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            RegisterAttachment.objects.filter(size__gt=0).update(name="x")

    @on_postgresql
    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE registre_registerentry SET subject = 'x'",
            "DELETE FROM registre_registerentry",
            "UPDATE registre_registerattachment SET sha256 = 'x'",
            "DELETE FROM registre_registerattachment",
            "TRUNCATE registre_registerattachment, registre_registerentry CASCADE",
        ],
    )
    def test_database_refuses_raw_changes(self, make_entry, sql):
        make_entry()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the pending foreign-key checks of the insert
            cursor.execute(sql)
        assert RegisterEntry.objects.get().subject == "Alta al padró"


class TestChainVerification:
    def test_intact_register_is_ok(self, three_entries, make_entry):
        from tramits.registre.models import Register

        make_entry(register=Register.OUTGOING)
        year = three_entries[0].year
        output = verify()
        assert f"OK E-{year}: 3 entries" in output
        assert f"OK S-{year}: 1 entries" in output
        assert output.strip().endswith("OK")

    def test_chain_links_each_entry_to_the_previous_one(self, three_entries):
        first, second, third = three_entries
        assert second.previous_hash == first.entry_hash
        assert third.previous_hash == second.entry_hash
        assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3

    def test_one_changed_byte_is_found(self, three_entries):
        tamper("UPDATE registre_registerentry SET subject = %s WHERE id = %s", ["Sol·licitud 9", three_entries[1].pk])
        with pytest.raises(CommandError, match=rf"{three_entries[1].reference}: hash mismatch"):
            verify()

    def test_changed_attachment_hash_is_found(self, three_entries):
        attachment = three_entries[2].attachments.get()
        tamper("UPDATE registre_registerattachment SET sha256 = %s WHERE id = %s", ["0" * 64, attachment.pk])
        with pytest.raises(CommandError, match=rf"{three_entries[2].reference}: hash mismatch"):
            verify()

    def test_deleted_row_is_found(self, three_entries):
        entry = three_entries[1]
        tamper("DELETE FROM registre_registerattachment WHERE entry_id = %s", [entry.pk])
        tamper("DELETE FROM registre_registerentry WHERE id = %s", [entry.pk])
        with pytest.raises(CommandError, match=rf"{entry.reference}: number missing"):
            verify()

    def test_deleted_last_row_is_found_by_the_counter(self, three_entries):
        entry = three_entries[2]
        tamper("DELETE FROM registre_registerattachment WHERE entry_id = %s", [entry.pk])
        tamper("DELETE FROM registre_registerentry WHERE id = %s", [entry.pk])
        with pytest.raises(CommandError, match=rf"{entry.reference}: number missing"):
            verify()

    def test_swapped_rows_are_found(self, three_entries):
        _, second, third = three_entries
        swap = "UPDATE registre_registerentry SET number = %s, reference = %s WHERE id = %s"
        tamper(swap, [1000, "tmp", second.pk])
        tamper(swap, [2, second.reference, third.pk])
        tamper(swap, [3, third.reference, second.pk])
        with pytest.raises(CommandError, match=rf"{second.reference}: link mismatch"):
            verify()

    def test_a_new_entry_after_a_deleted_last_one_is_refused(self, three_entries, make_entry):
        from tramits.registre.services import RegisterChainBroken

        entry = three_entries[2]
        tamper("DELETE FROM registre_registerattachment WHERE entry_id = %s", [entry.pk])
        tamper("DELETE FROM registre_registerentry WHERE id = %s", [entry.pk])
        with pytest.raises(RegisterChainBroken):
            make_entry()

    def test_changed_key_breaks_every_hash(self, three_entries, settings):
        settings.REGISTRE_CHAIN_KEY = "another key"
        with pytest.raises(CommandError, match=rf"{three_entries[0].reference}: link mismatch"):
            verify()
