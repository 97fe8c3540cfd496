"""Uploads through the API: the citizens' formats and limits for citizens, the antivirus and one total for everyone,
and a multipart part the parser would drop refused instead of filed without it."""

import pytest

from tests.tramits.api.conftest import ENTRIES_URL, PDF, file_through, filing_data, new_key, pdf_upload, private_files
from tests.tramits.documents import multipart_bodies as multipart
from tests.tramits.documents.clamd import EICAR_MARK, address, fake_clamd
from tramits.api.models import IdempotentRequest
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.CLAMAV_ADDRESS = ""


def assert_nothing_written(settings) -> None:
    assert RegisterEntry.objects.count() == 0
    assert Expedient.objects.count() == 0
    assert IdempotentRequest.objects.count() == 0
    assert private_files(settings) == []


def attachment_errors(response) -> list[str]:
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]["attachments"]
    return [message for item in (errors.values() if isinstance(errors, dict) else [errors]) for message in item]


def test_a_citizen_cannot_file_an_11_mb_document(api, people, settings):
    big = pdf_upload("gran.pdf", PDF + b"0" * (11 * MB))
    response = file_through(api["citizen"], filing_data(people["citizen"], attachments=[big]))
    assert "El fitxer fa més de 10 MB. Adjunteu-ne un de més petit." in attachment_errors(response)
    assert_nothing_written(settings)


def test_an_internal_system_may_send_more_than_a_citizen(api, people, settings):
    settings.WIZARD_MAX_FILE_BYTES = 1024
    document = PDF + b"0" * 4096
    refused = file_through(api["citizen"], filing_data(people["citizen"], attachments=[pdf_upload(content=document)]))
    assert "fa més de" in attachment_errors(refused)[0]
    accepted = file_through(api["service"], filing_data(people["citizen"], attachments=[pdf_upload(content=document)]))
    assert accepted.status_code == 201, accepted.json()


def test_a_citizen_files_only_pdf_jpeg_or_png(api, people, settings):
    tiff = pdf_upload("plànol.tif", b"II*\x00" + b"\x00" * 60, "image/tiff")
    response = file_through(api["citizen"], filing_data(people["citizen"], attachments=[tiff]))
    assert "ha de ser un PDF, un JPG o un PNG" in attachment_errors(response)[0]
    assert_nothing_written(settings)


@pytest.mark.parametrize("caller", ["citizen", "service"])
def test_an_infected_document_is_refused_when_a_scanner_is_configured(api, people, settings, caller):
    with fake_clamd() as server:
        settings.CLAMAV_ADDRESS = address(server)
        virus = pdf_upload("factura.pdf", PDF + EICAR_MARK)
        response = file_through(api[caller], filing_data(people["citizen"], attachments=[pdf_upload(), virus]))
    assert attachment_errors(response) == ["El fitxer no ha superat la revisió antivirus i no s'ha acceptat."]
    assert_nothing_written(settings)


def test_a_scanner_that_does_not_answer_refuses_the_filing(api, people, settings):
    settings.CLAMAV_ADDRESS, settings.CLAMAV_TIMEOUT = "127.0.0.1:9", 1
    response = file_through(api["service"], filing_data(people["citizen"]))
    assert "antivirus" in attachment_errors(response)[0]
    assert_nothing_written(settings)


@pytest.mark.parametrize("caller", ["citizen", "service"])
def test_the_documents_of_a_filing_keep_to_one_total(api, people, settings, caller):
    settings.WIZARD_MAX_SUBMISSION_BYTES = 2 * MB
    documents = [pdf_upload(f"{n}.pdf", PDF + b"0" * MB) for n in range(2)]
    response = file_through(api[caller], filing_data(people["citizen"], attachments=documents))
    assert attachment_errors(response) == [
        "Els documents de la sol·licitud sumen més de 2 MB. Adjunteu-ne de més petits."
    ]
    assert_nothing_written(settings)


# A part the multipart parser drops ---------------------------------------------------------------


def post_raw(client, *files: bytes, user=None, **overrides):
    data = filing_data(user, **overrides)
    data.pop("attachments")
    raw = multipart.body(*multipart.fields(data), *files)
    return client.generic("POST", ENTRIES_URL, raw, content_type=multipart.CONTENT_TYPE, HTTP_IDEMPOTENCY_KEY=new_key())


def test_a_well_formed_raw_body_files_both_documents(api, people):
    good = [multipart.file(b"attachments", name, PDF) for name in (b"a.pdf", b"b.pdf")]
    response = post_raw(api["citizen"], *good, user=people["citizen"])
    assert response.status_code == 201, response.json()
    assert RegisterEntry.objects.get().attachments.count() == 2


@pytest.mark.parametrize(
    "filename", [b"\xff\xfe.pdf", b"factura_\xe9.pdf", b"..", b""], ids=["bytes", "latin-1", "dots", "empty"]
)
def test_a_document_part_the_parser_would_drop_gives_400_and_no_entry(api, people, settings, filename):
    good = multipart.file(b"attachments", b"bo.pdf", PDF)
    dropped = multipart.file(b"attachments", filename, PDF)
    response = post_raw(api["citizen"], good, dropped, user=people["citizen"])
    assert response.json()["code"] == "invalid"
    assert any("no s'ha pogut llegir" in message for message in attachment_errors(response))
    assert_nothing_written(settings)


def test_a_part_whose_name_cannot_be_read_gives_400_and_no_entry(api, people, settings):
    unnamed = b'Content-Disposition: form-data; name="attach\xffments"; filename="a.pdf"\r\n\r\n' + PDF
    response = post_raw(api["service"], multipart.file(b"attachments", b"a.pdf", PDF), unnamed, user=people["citizen"])
    assert response.status_code == 400
    assert "no s'ha pogut llegir" in response.json()["errors"]["non_field_errors"][0]
    assert_nothing_written(settings)


def test_a_lost_application_part_is_refused_too(api, people, settings):
    application = multipart.file(b"application", b"sol\xb7licitud.json", b"{}", b"application/json")
    document = multipart.file(b"attachments", b"a.pdf", PDF)
    response = post_raw(api["service"], document, application, user=people["citizen"])
    assert response.status_code == 400
    assert "no s'ha pogut llegir" in response.json()["errors"]["application"][0]
    assert_nothing_written(settings)
