"""The one upload check, and the same answer from the wizard, the desk and the API for the same file."""

import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from tests.tramits.documents.clamd import EICAR_MARK, address, fake_clamd
from tramits.api.serializers import DocumentAddSerializer
from tramits.backoffice.uploads import DocumentFileField, MultipleDocumentFileField
from tramits.documents.multipart import LOST_PARTS_KEY, LostUpload
from tramits.documents.uploads import (
    CITIZEN_FORMATS,
    STAFF_FORMATS,
    CheckedUpload,
    filing_size_check,
    upload_check,
)
from tramits.wizards.forms import DocumentsForm
from tramits.wizards.uploads import UploadField

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 60
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.CLAMAV_ADDRESS = ""


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name="contracte.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(**kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        upload_check(**kwargs)
    return caught.value


# The check itself ---------------------------------------------------------------------------------


def test_a_good_document_says_what_it_is_and_keeps_a_clean_name():
    assert upload_check(upload("Contracte lloguer.PDF"), formats=CITIZEN_FORMATS, max_bytes=1024) == CheckedUpload(
        name="Contracte lloguer.pdf", content_type="application/pdf"
    )


@pytest.mark.parametrize(
    ("file", "code"),
    [
        (upload(content=b""), "empty"),
        (upload(content=PDF + b"0" * 2048), "size"),
        (upload("factura\x00.pdf"), "name"),
        (upload("carpeta\\factura.pdf"), "name"),
        (upload("a" * 151 + ".pdf"), "name_length"),
        (upload(content=EXE), "type"),
        (upload("notes.pdf", b"just text"), "type"),
        (LostUpload("attachments"), "lost"),
    ],
    ids=["empty", "too big", "control character", "folder", "long name", "executable", "text", "lost part"],
)
def test_bad_documents_are_refused_with_the_reason(file, code):
    assert refusal(upload=file, formats=STAFF_FORMATS, max_bytes=1024).code == code


def test_citizens_send_pdf_jpeg_or_png_and_staff_also_office_formats():
    assert refusal(upload=upload("informe.docx", docx(), DOCX_TYPE), formats=CITIZEN_FORMATS, max_bytes=10**6).code == (
        "type"
    )
    checked = upload_check(upload("informe.docx", docx(), DOCX_TYPE), formats=STAFF_FORMATS, max_bytes=10**6)
    assert checked == CheckedUpload(name="informe.docx", content_type=DOCX_TYPE)


def test_the_content_decides_the_type_and_the_extension():
    checked = upload_check(upload("foto.pdf", PNG), formats=CITIZEN_FORMATS, max_bytes=1024)
    assert checked == CheckedUpload(name="foto.pdf.png", content_type="image/png")


def test_a_stated_type_must_match_the_content_unless_it_is_generic():
    error = refusal(upload=upload("foto.pdf", PNG), formats=STAFF_FORMATS, max_bytes=1024, check_declared_type=True)
    assert error.code == "mismatch"
    assert "foto.pdf" in error.messages[0] and "application/pdf" in error.messages[0]
    for declared in ("application/octet-stream", "", "image/png", "image/x-png"):
        checked = upload_check(
            upload("foto.png", PNG, declared), formats=STAFF_FORMATS, max_bytes=1024, check_declared_type=True
        )
        assert checked.content_type == "image/png"


def test_an_infected_document_is_refused_and_a_silent_scanner_refuses_too(settings):
    with fake_clamd() as server:
        settings.CLAMAV_ADDRESS = address(server)
        assert upload_check(upload(), formats=CITIZEN_FORMATS, max_bytes=1024).content_type == "application/pdf"
        assert refusal(upload=upload(content=PDF + EICAR_MARK), formats=CITIZEN_FORMATS, max_bytes=1024).code == (
            "infected"
        )
    settings.CLAMAV_ADDRESS, settings.CLAMAV_TIMEOUT = "127.0.0.1:9", 1
    assert refusal(upload=upload(), formats=CITIZEN_FORMATS, max_bytes=1024).code == "scanner"


def test_the_documents_of_a_filing_have_one_total(settings):
    settings.WIZARD_MAX_SUBMISSION_BYTES = 3 * 1024 * 1024
    filing_size_check([1024 * 1024, 2 * 1024 * 1024])
    with pytest.raises(ValidationError) as caught:
        filing_size_check([1024 * 1024, 2 * 1024 * 1024, 1])
    assert caught.value.code == "submission_size"
    assert "sumen més de 3 MB" in caught.value.messages[0]


# The same file on every way in --------------------------------------------------------------------


def wizard_says(file) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        UploadField(required=False).clean(file)
    return caught.value.messages


def desk_says(file) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        DocumentFileField(required=False).clean(file)
    return caught.value.messages


def api_says(file, *, citizen: bool) -> list[str]:
    serializer = DocumentAddSerializer(
        data={"title": "Document", "file": file}, context={"caller": SimpleNamespace(is_citizen=citizen)}
    )
    assert not serializer.is_valid()
    return [str(message) for message in serializer.errors["file"]]


HOSTILE = {
    "infected": lambda: upload("factura.pdf", PDF + EICAR_MARK),
    "control character in the name": lambda: upload("factura\u202efdp.exe.pdf"),
    "empty": lambda: upload(content=b""),
    "lost on the way": lambda: LostUpload("file"),
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_same_hostile_file_gets_the_same_message_on_every_way_in(make, settings):
    with fake_clamd() as server:
        settings.CLAMAV_ADDRESS = address(server)
        answers = [wizard_says(make()), desk_says(make())]
        answers += [api_says(make(), citizen=True), api_says(make(), citizen=False)]
    assert len({tuple(answer) for answer in answers}) == 1, answers
    assert answers[0][0].strip()


def test_an_executable_named_pdf_gets_the_message_of_its_senders_formats():
    citizen = [wizard_says(upload(content=EXE)), api_says(upload(content=EXE), citizen=True)]
    staff = [desk_says(upload(content=EXE)), api_says(upload(content=EXE), citizen=False)]
    assert citizen[0] == citizen[1] and "ha de ser un PDF, un JPG o un PNG" in citizen[0][0]
    assert staff[0] == staff[1]
    assert "no és d'un format admès (DOCX, JPEG, ODS, ODT, PDF, PNG, TIFF, XLSX)" in staff[0][0]


def test_the_api_takes_11_mb_from_staff_but_not_from_a_citizen(settings):
    big = PDF + b"0" * (11 * 1024 * 1024)
    assert "fa més de 10 MB" in api_says(upload("gran.pdf", big), citizen=True)[0]
    staff = {"caller": SimpleNamespace(is_citizen=False)}
    serializer = DocumentAddSerializer(data={"title": "Document", "file": upload("gran.pdf", big)}, context=staff)
    assert serializer.is_valid(), serializer.errors


def test_the_desk_names_each_refused_file_of_a_filing():
    with pytest.raises(ValidationError) as caught:
        MultipleDocumentFileField().clean([upload("bo.pdf"), upload("buit.pdf", b"")])
    [message] = caught.value.messages
    assert message.startswith("buit.pdf: El fitxer que heu adjuntat és buit.")


def test_the_desk_keeps_a_filing_within_the_total(settings):
    settings.WIZARD_MAX_SUBMISSION_BYTES = 150
    with pytest.raises(ValidationError) as caught:
        MultipleDocumentFileField().clean([upload(), upload("annex.pdf")])
    assert caught.value.error_list[0].code == "submission_size"


def test_a_part_lost_without_a_name_is_an_error_on_the_forms_upload_fields():
    files = MultiValueDict({LOST_PARTS_KEY: [LostUpload("")]})
    form = DocumentsForm(data={}, files=files, prefix="documents")
    assert not form.is_valid()
    assert "no s'ha pogut llegir" in form.errors["document_1"][0]
