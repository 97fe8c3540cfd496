"""Bad input: extra, huge, NUL and control characters, script injection, wrong or hostile files.

Each gets a clear message in the citizen's language and leaves nothing behind: no submission, no file.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tramits.wizards.helpers import APPLICANT, PDF, PNG, Wizard, happy_steps, pdf
from tramits.submissions.models import Submission
from tramits.wizards.models import Draft


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def at_documents_step(seu) -> Wizard:
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA")[:2])
    return wizard


def error_text(response) -> str:
    assert response.status_code == 200
    content = response.content.decode()
    assert "error-summary" in content  # the summary at the top, linked to the field
    return content


def test_extra_fields_are_ignored_and_not_stored(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    response = wizard.post("sollicitant", {**APPLICANT, "is_staff": "1", "status": "registered"}, evil="1")
    assert response.status_code == 302
    stored = Draft.objects.get().data["step_data"]["sollicitant"]
    assert set(stored) == {"sollicitant-email", "sollicitant-phone"}


def test_profile_identity_cannot_be_overridden_by_posting_it(seu, citizen):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.post("sollicitant", {**APPLICANT, "full_name": "Una Altra", "document_number": "12345678Z"})
    wizard.fill(happy_steps("GEN-INSTANCIA")[1:])
    wizard.submit()
    applicant = Submission.objects.get().applicant
    assert applicant["name"] == "Marta Puig i Solé"
    assert applicant["document_number"] == citizen.document_number


def test_huge_field_is_refused_with_a_message(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill([("sollicitant", APPLICANT, {})])
    response = wizard.post("sollicitud", {"subject": "x" * 100_000, "facts": "y" * 100_000, "request": "z"})
    content = error_text(response)
    assert "com a molt 200 caràcters" in content or "200" in content
    assert "sollicitud" not in Draft.objects.get().data["step_data"]


@pytest.mark.parametrize("value", ["abc\x00def", "abc\x07def", "text\u202egnp.exe"])
def test_nul_and_control_characters_are_refused(seu, value):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill([("sollicitant", APPLICANT, {})])
    response = wizard.post("sollicitud", {"subject": value, "facts": "Fets.", "request": "Petició."})
    content = error_text(response)
    assert "caràcters nuls" in content or "caràcters de control" in content or "Null characters" in content


def test_messages_follow_the_citizens_language(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA", language="es")
    wizard.fill([("sollicitant", APPLICANT, {})])
    response = wizard.post("sollicitud", {"subject": "", "facts": "", "request": ""})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"


def test_script_is_shown_escaped_on_the_check_page_and_confirmation(seu):
    script = '<script>alert("x")</script>'
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(
        [
            ("sollicitant", APPLICANT, {}),
            ("sollicitud", {"subject": script, "facts": script, "request": "Res"}, {}),
            ("documents", {}, {}),
        ]
    )
    page = wizard.check_page().content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    response = wizard.submit()
    confirmation = seu.get(response["Location"]).content.decode()
    assert script not in confirmation
    submission = Submission.objects.get()
    assert script in submission.subject  # stored as written; escaping is the renderer's job


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("factura.pdf", b"MZ\x90\x00 this is an executable", "ha de ser un PDF, un JPG o un PNG"),
        ("foto.pdf", b"GIF89a\x01\x00\x01\x00", "ha de ser un PDF, un JPG o un PNG"),
        ("notes.pdf", b"just some text, not a pdf", "ha de ser un PDF, un JPG o un PNG"),
        ("buit.pdf", b"", "és buit"),
    ],
)
def test_wrong_or_empty_files_are_refused_and_nothing_is_stored(seu, name, content, message):
    wizard = at_documents_step(seu)
    response = wizard.post("documents", {}, {"document_1": SimpleUploadedFile(name, content, "application/pdf")})
    assert message in error_text(response)
    assert stored_files() == []
    assert "documents" not in Draft.objects.get().data["step_data"]


def test_oversize_file_is_refused(seu, settings):
    settings.WIZARD_MAX_FILE_BYTES = 1024
    wizard = at_documents_step(seu)
    response = wizard.post("documents", {}, {"document_1": pdf("gran.pdf", PDF + b"0" * 2048)})
    assert "fa més de" in error_text(response)
    assert stored_files() == []


def test_files_over_the_submission_limit_are_refused(seu, settings):
    settings.WIZARD_MAX_SUBMISSION_BYTES = 3000
    wizard = at_documents_step(seu)
    files = {f"document_{n}": pdf(f"doc{n}.pdf", PDF + b"0" * 1200) for n in (1, 2, 3)}
    response = wizard.post("documents", {}, files)
    assert "sumen més de" in error_text(response)
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32.pdf", "system32.pdf"),
        ("factura\u202efdp.exe.pdf", "facturafdp.exe.pdf"),
        ("nul\x00name.pdf", "nulname.pdf"),
    ],
)
def test_hostile_names_never_reach_the_disk_or_the_page(seu, name, shown):
    wizard = at_documents_step(seu)
    response = wizard.post("documents", {}, {"document_1": pdf(name)})
    assert response.status_code == 302
    meta = Draft.objects.get().data["step_files"]["documents"]["documents-document_1"]
    assert meta["name"] == shown
    assert Path(meta["tmp_name"]).name != shown and ".." not in meta["tmp_name"]
    [path] = stored_files()
    assert path.resolve().is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    page = wizard.check_page().content.decode()
    assert "\u202e" not in page and "etc/passwd" not in page


def test_too_long_name_is_refused_with_a_message(seu):
    wizard = at_documents_step(seu)
    response = wizard.post("documents", {}, {"document_1": pdf("a" * 300 + ".pdf")})
    assert "massa llarg" in error_text(response)
    assert stored_files() == []


def test_png_and_jpeg_are_accepted_by_content_whatever_the_extension(seu):
    wizard = at_documents_step(seu)
    response = wizard.post("documents", {}, {"document_1": SimpleUploadedFile("foto.pdf", PNG, "application/pdf")})
    assert response.status_code == 302
    meta = Draft.objects.get().data["step_files"]["documents"]["documents-document_1"]
    assert meta["content_type"] == "image/png"
    assert meta["name"] == "foto.pdf.png"
    assert meta["tmp_name"].endswith(".png")


def test_stored_files_are_outside_media_root(seu):
    wizard = at_documents_step(seu)
    wizard.post("documents", {}, {"document_1": pdf()})
    [path] = stored_files()
    assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_a_step_sent_again_keeps_its_file_and_a_new_one_replaces_it(seu):
    wizard = at_documents_step(seu)
    wizard.post("documents", {}, {"document_1": pdf("primer.pdf")})
    first = Draft.objects.get().data["step_files"]["documents"]["documents-document_1"]["tmp_name"]
    assert wizard.post("documents", {}).status_code == 302
    assert Draft.objects.get().data["step_files"]["documents"]["documents-document_1"]["tmp_name"] == first
    wizard.post("documents", {}, {"document_1": pdf("segon.pdf")})
    meta = Draft.objects.get().data["step_files"]["documents"]["documents-document_1"]
    assert meta["name"] == "segon.pdf"
    assert [path.name for path in stored_files()] == [Path(meta["tmp_name"]).name]


def test_a_refused_final_post_leaves_no_submission(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA"))
    response = wizard.client.post(wizard.url("revisio"), {"GEN-INSTANCIA-current_step": "revisio"})
    assert response.status_code == 200
    assert "Cal que confirmeu la declaració" in response.content.decode()
    assert not Submission.objects.exists()
