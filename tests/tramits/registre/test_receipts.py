import pytest
from freezegun import freeze_time

from tramits.documents.models import DocumentType, IssuedDocument
from tramits.registre.models import Register
from tramits.registre.receipts import receipt_html
from tramits.registre.selectors import register_entries_without_receipt
from tramits.registre.services import Party, register_receipt_ensure, register_receipts_generate_missing
from tramits.registre.tasks import register_receipt_generate

pytestmark = pytest.mark.django_db

CSV = "ABCDEFGHJKMNPQRSTVWX"


@pytest.fixture
def saturday_entry(make_entry):
    with freeze_time("2026-11-21 13:03:05+00:00"):
        return make_entry(
            representative=Party(name="Joan Vila Roca", document_number="X1234567L", identified_by="password"),
            attachments=[("contracte.pdf", b"%PDF contracte", "application/pdf"), ("dni.png", b"png", "image/png")],
        )


def test_receipt_states_what_the_law_asks(saturday_entry, settings):
    settings.SITE_URL = "https://seu.example.org"
    html = receipt_html(entry=saturday_entry, csv=CSV)
    assert saturday_entry.reference in html
    assert "21/11/2026 14:03:05 CET (UTC+01:00)" in html
    assert "23/11/2026 00:00:00 CET (UTC+01:00)" in html  # effective on Monday
    assert "Maria Puig Soler" in html and "12345678Z" in html and "idCAT / VÀLid" in html
    assert "Joan Vila Roca" in html and "X1234567L" in html
    assert "Alta al padró" in html and "PADRO-ALTA" in html
    assert "Padró d&#x27;habitants (OAC)" in html and "LA0019781" in html
    for attachment in saturday_entry.attachments.all():
        assert attachment.name in html and attachment.sha256 in html
    assert saturday_entry.entry_hash in html
    assert "ABCDE-FGHJK-MNPQR-STVWX" in html
    assert "https://seu.example.org/ca/verificar/?csv=ABCDE-FGHJK-MNPQR-STVWX" in html
    assert 'src="data:image/svg+xml' in html


def test_receipt_on_a_business_day_has_no_separate_effective_date(make_entry):
    with freeze_time("2026-11-23 09:00:00+00:00"):
        entry = make_entry()
    html = receipt_html(entry=entry, csv=CSV)
    assert "23/11/2026 10:00:00 CET" in html
    assert "Data d&#x27;efectes" not in html


def test_receipt_speaks_the_applicants_language(make_entry, settings):
    entry = make_entry(language="es")
    html = receipt_html(entry=entry, csv=CSV)
    assert '<html lang="es">' in html
    assert "/es/verificar/" in html


def test_receipt_pdf_is_stored_once_as_an_issued_document(saturday_entry):
    receipt = register_receipt_ensure(entry=saturday_entry)
    assert register_receipt_ensure(entry=saturday_entry).pk == receipt.pk
    assert receipt.document_type == DocumentType.ACKNOWLEDGEMENT
    assert receipt.register_entry == saturday_entry
    assert receipt.content_type == "application/pdf"
    assert receipt.file_name == f"justificant-{saturday_entry.reference}.pdf"
    with receipt.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert receipt.nti_identifier.startswith("ES_LA0019780_2026_")


def test_receipt_is_queued_when_the_filing_commits(make_entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entry = make_entry()
    assert len(callbacks) == 1
    assert IssuedDocument.objects.filter(register_entry=entry, document_type=DocumentType.ACKNOWLEDGEMENT).count() == 1


def test_outgoing_entries_queue_no_receipt(make_entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        make_entry(register=Register.OUTGOING)
    assert callbacks == []


def test_missing_receipts_are_made_by_the_sweep_and_the_task_is_safe_twice(make_entry):
    entries = [make_entry(), make_entry()]
    assert list(register_entries_without_receipt()) == entries
    assert register_receipts_generate_missing() == 2
    assert register_receipts_generate_missing() == 0
    document_pk = IssuedDocument.objects.get(register_entry=entries[0]).pk
    assert register_receipt_generate(entries[0].pk) == document_pk
    assert register_receipt_generate(entries[0].pk) == document_pk
    assert register_receipt_generate(999_999) is None


def test_receipt_can_be_verified_and_downloaded_by_its_csv(make_entry, client):
    from django.core.cache import cache
    from django.urls import reverse

    cache.clear()
    receipt = register_receipt_ensure(entry=make_entry())
    response = client.get(reverse("documents:verify"), {"csv": receipt.csv_display})
    assert response.status_code == 200
    assert receipt.register_entry.reference in response.content.decode()
    download = client.get(reverse("documents:download", kwargs={"csv": receipt.csv}))
    with receipt.file.open("rb") as stored:
        assert b"".join(download.streaming_content) == stored.read()
