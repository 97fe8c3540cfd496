import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from tramits.registre.models import Register, RegisterAttachment, RegisterCounter, RegisterEntry
from tramits.registre.services import (
    IdempotencyKeyConflict,
    Party,
    RegisterEntryInvalid,
    register_entry_create,
)

pytestmark = pytest.mark.django_db


def test_numbers_run_from_one_per_register_and_year(make_entry):
    entries = [make_entry() for _ in range(3)]
    outgoing = make_entry(register=Register.OUTGOING)
    assert [entry.number for entry in entries] == [1, 2, 3]
    year = entries[0].year
    assert [entry.reference for entry in entries] == [f"E-{year}-00000{n}" for n in (1, 2, 3)]
    assert outgoing.reference == f"S-{year}-000001"
    assert RegisterCounter.objects.get(register="E", year=year).next_number == 4


def test_year_turns_at_madrid_midnight_not_utc(make_entry):
    with freeze_time("2026-12-31 22:30:00+00:00"):  # 23:30 in Madrid
        last = make_entry()
    with freeze_time("2026-12-31 23:30:00+00:00"):  # 00:30 on 1 January in Madrid
        first = make_entry()
        second = make_entry()
    assert (last.year, last.number) == (2026, 1)
    assert (first.reference, second.reference) == ("E-2027-000001", "E-2027-000002")


def test_entry_records_time_effect_parties_and_attachments(make_entry, units):
    with freeze_time("2026-11-21 11:00:00+00:00"):  # a Saturday
        entry = make_entry(
            representative=Party(name="Joan Vila", document_number="X1234567L", identified_by="password"),
            applicant=Party(name="Maria  Puig", document_number="12.345.678-z", identified_by="represented"),
            attachments=[("a.pdf", b"A" * 10, "application/pdf"), ("b.txt", b"hola", "text/plain")],
        )
    entry.refresh_from_db()
    assert entry.registered_at == dt.datetime(2026, 11, 21, 11, tzinfo=dt.UTC)
    assert entry.effective_at == dt.datetime(2026, 11, 22, 23, tzinfo=dt.UTC)  # Monday 00:00 in Madrid
    assert entry.applicant_name == "Maria Puig"
    assert (entry.applicant_document_type, entry.applicant_document_number) == ("dni", "12345678Z")
    assert (entry.representative_document_type, entry.representative_document_number) == ("nie", "X1234567L")
    assert (entry.unit, entry.unit_dir3, entry.unit_name) == (units["padro"], "LA0019781", "Padró d'habitants (OAC)")
    attachments = list(entry.attachments.all())
    assert [(a.position, a.name, a.size) for a in attachments] == [(1, "a.pdf", 10), (2, "b.txt", 4)]
    assert attachments[1].sha256 == "b221d9dbb083a7f33428d7c2a3c3198ae925614d70210e28716ccaa7cd4ddb79"
    with attachments[1].file.open("rb") as stored:
        assert stored.read() == b"hola"


def test_files_are_streamed_from_file_objects(make_entry, tmp_path):
    path = tmp_path / "gran.bin"
    path.write_bytes(b"x" * 200_000)
    with path.open("rb") as handle:
        entry = make_entry(attachments=[("gran.bin", handle, "application/octet-stream")])
    attachment = entry.attachments.get()
    assert attachment.size == 200_000
    assert attachment.file.path.startswith(str(tmp_path / "private"))


def test_bad_input_changes_nothing_and_says_why(make_entry, settings):
    with pytest.raises(RegisterEntryInvalid) as caught:
        make_entry(
            applicant=Party(name="", document_number="12345678A", identified_by="x"),
            subject=" ",
            procedure_code="NO-EXISTEIX",
            unit_dir3="LA0000000",
            attachments=[("", b"x", "pdf")],
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "applicant_name",
        "applicant_document_number",
        "applicant_identified_by",
        "subject",
        "procedure_code",
        "unit_dir3",
        "attachments",
    }
    assert isinstance(caught.value, ValidationError)
    assert RegisterEntry.objects.count() == 0
    assert RegisterCounter.objects.count() == 0
    assert not (settings.PRIVATE_MEDIA_ROOT / "registre").exists()


def test_empty_attachment_is_refused_and_no_file_is_left(make_entry, settings):
    with pytest.raises(RegisterEntryInvalid):
        make_entry(attachments=[("a.pdf", b"data", "application/pdf"), ("buit.pdf", b"", "application/pdf")])
    assert RegisterEntry.objects.count() == 0
    stored = [p for p in (settings.PRIVATE_MEDIA_ROOT / "registre").rglob("*") if p.is_file()]
    assert stored == []


def test_same_idempotency_key_returns_the_same_entry(make_entry, settings):
    first = make_entry(idempotency_key="sub-1")
    again = make_entry(idempotency_key="sub-1")
    assert again.pk == first.pk
    assert RegisterEntry.objects.count() == 1
    assert RegisterAttachment.objects.count() == 1
    assert len([p for p in (settings.PRIVATE_MEDIA_ROOT / "registre").rglob("*") if p.is_file()]) == 1
    assert make_entry(idempotency_key="sub-1", register=Register.OUTGOING).pk != first.pk


def test_reused_key_for_a_different_filing_is_refused(make_entry):
    make_entry(idempotency_key="sub-1")
    with pytest.raises(IdempotencyKeyConflict):
        make_entry(idempotency_key="sub-1", subject="Una altra cosa")


def test_nested_in_callers_transaction_rolls_back_with_it(make_entry):
    from django.db import transaction

    make_entry()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_entry()
        raise RuntimeError("the expedient could not be opened")
    assert make_entry().number == 2


def test_one_filing_takes_a_fixed_number_of_queries(make_entry, django_assert_num_queries):
    make_entry()
    # Unit, key, holidays; then under the lock: counter, key again, previous hash, counter update, entry,
    # attachments; plus the savepoint and its release.
    with django_assert_num_queries(11):
        make_entry(idempotency_key="k")


def test_service_is_keyword_only(units, applicant):
    with pytest.raises(TypeError):
        register_entry_create(Register.INCOMING)  # type: ignore[misc]
