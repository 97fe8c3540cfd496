"""A citizen files PADRO-CANVI-DOMICILI in the browser, from the guide to the receipt, and answers a correction.

The live server shares the test's database connection, so everything the browser writes (the
submission, the register entry, the expedient) is rolled back with the test. axe-core checks every
wizard step, the check-your-answers page, the confirmation and the carpeta pages on the way; a
second run files the same procedure with JavaScript turned off.
"""

import re
import shutil
import subprocess
import threading
import zlib

import pytest
from allauth.account.models import EmailAddress
from django.utils import dateformat, translation

from tests.browser.conftest import axe_violations, describe_violations
from tests.tramits.expedients.factories import UserFactory, dni
from tramits.accounts.models import User
from tramits.expedients.models import CorrectionRequest, CorrectionState, Expedient, State
from tramits.expedients.services import correction_request
from tramits.submissions.models import Status, Submission
from tramits.wizards.streets import street_name

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CODE = "PADRO-CANVI-DOMICILI"
EMAIL = "laia.ferrer@example.org"
PASSWORD = "Carrer-Major-2026!"
STREET = "00380"
REGISTER_NUMBER = re.compile(r"\bE-\d{4}-\d{6}\b")
EXPEDIENT_NUMBER = re.compile(r"\bEXP-\d{4}-\d{6}\b")
CORRECTION = "Falta la pàgina del contracte on consta la durada del lloguer."


def pdf_document(text: str) -> bytes:
    """A small, well-formed one-page PDF with a line of text (offsets and xref computed here)."""
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def pdf_upload(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_document(text)}


@pytest.fixture(autouse=True)
def _register_in_process(settings):
    """The wizards register through the local backend, in this process."""
    settings.REGISTRATION_BACKEND = "local"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CLAMAV_ADDRESS = ""


def _request_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if "process_request_thread" in thread.name]


@pytest.fixture
def shared_connection(site, browser, db):
    """The live server answers on this test's database connection, so the browser's writes roll back with it.

    The server thread keeps the connection it was handed when the session started, and the test's
    transaction can run on another connection object to the same in-memory database, where SQLite's
    shared cache locks each side out of the tables the other wrote. These tests write through the
    browser, so for their duration the server answers on the test's own connection.
    """
    from django.db import connections

    # Other suites may leave their own live servers running; this one is the site's.
    override = site.thread.connections_override
    if "default" not in override:
        pytest.skip("the browser's writes must join the test's transaction: SQLite in memory only")
    ours, previous = connections["default"], override["default"]
    assert ours.in_atomic_block, "the test's transaction must be open: everything written rolls back with it"
    ours.inc_thread_sharing()
    override["default"] = ours
    try:
        yield
    finally:
        # The browser contexts are closed by now; let their last requests finish on this connection.
        for thread in _request_threads():
            thread.join(timeout=10)
        override["default"] = previous
        ours.dec_thread_sharing()


def _new_context(browser, **options):
    return browser.new_context(locale="ca-ES", accept_downloads=True, **options)


@pytest.fixture
def journey_page(browser, shared_connection):
    context = _new_context(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser, shared_connection):
    context = _new_context(browser, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def citizen(db) -> User:
    """A citizen with a complete profile and a verified e-mail address (verification is mandatory)."""
    user = User.objects.create_user(
        email=EMAIL,
        password=PASSWORD,
        first_name="Laia",
        last_name="Ferrer i Roca",
        document_type="dni",
        document_number=dni(47_123_456),
        phone="973000000",
        language="ca",
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


# Helpers ---------------------------------------------------------------------------------------


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{len(violations)} axe violations on {page.url}:\n{describe_violations(violations)}"


def submit(page, name: str = "Continua") -> None:
    """Press a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def follow(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def at_step(page, code: str, step: str, *, axe: bool) -> str:
    """Assert the browser is on this wizard step, without errors, and return its progress text."""
    assert f"/tramitar/{code}/pas/{step}/" in page.url, page.url
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    progress = page.locator(".wizard-progress").inner_text()
    assert re.search(r"Pas \d+ de \d+", progress), progress
    if axe:
        assert_accessible(page)
    return progress


def log_in(page, *, expect_path: str | None = None) -> None:
    """Fill allauth's login form as the citizen (the page is already the login page)."""
    assert "/comptes/login/" in page.url
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, "Inicia la sessió")
    assert "/comptes/login/" not in page.url, page.locator("main").inner_text()
    if expect_path is not None:
        assert expect_path in page.url, page.url


def file_change_of_address(page, *, axe: bool) -> tuple[str, str]:
    """From the first wizard step to the confirmation; returns (register number, expedient number)."""
    # 1. The applicant: the identity comes locked from the profile, the contact details are editable.
    progress = at_step(page, CODE, "sollicitant", axe=axe)
    assert re.search(r"Pas 1 de \d+$", progress), progress
    assert page.locator("#id_sollicitant-document_number").is_disabled()
    assert page.locator("#id_sollicitant-email").input_value() == EMAIL
    page.locator("#id_sollicitant-phone").fill("600123456")
    submit(page)

    # 2. Where to: within Lleida.
    at_step(page, CODE, "ambit", axe=axe)
    page.get_by_label("A Lleida: canvio d'adreça dins de la ciutat").check()
    submit(page)

    # 3. Who moves: only me, no minors (the people and minors' consent steps stay out).
    at_step(page, CODE, "qui", axe=axe)
    page.get_by_label("Només jo").check()
    page.locator("fieldset", has_text="Hi ha menors").get_by_label("No", exact=True).check()
    submit(page)

    # 4. The new address: the street from the street list.
    at_step(page, CODE, "adreca", axe=axe)
    page.get_by_label("Carrer").select_option(STREET)
    page.get_by_label("Número", exact=True).fill("12")
    page.get_by_label("Pis").fill("3r")
    page.get_by_label("Porta").fill("2a")
    submit(page)

    # 5. The evidence by path: title or rental contract.
    at_step(page, CODE, "acreditacio", axe=axe)
    page.get_by_label(re.compile("hi visc de lloguer")).check()
    submit(page)

    # 6. The rental contract, a real PDF.
    at_step(page, CODE, "document-habitatge", axe=axe)
    page.locator("#id_document-habitatge-housing_document").set_input_files(
        pdf_upload("contracte-lloguer.pdf", "Contracte de lloguer")
    )
    submit(page)

    # 7. Check your answers; change one answer through its link and come back.
    progress = at_step(page, CODE, "revisio", axe=axe)
    assert progress.endswith("Pas 7 de 7")
    answers = page.locator("main").inner_text()
    for expected in ("Només jo", street_name(STREET), "12", "contracte-lloguer.pdf", "600123456"):
        assert expected in answers, expected
    follow(page, page.get_by_role("link", name="Canvia número", exact=True))
    at_step(page, CODE, "adreca", axe=axe)
    assert page.get_by_label("Número", exact=True).input_value() == "12"
    page.get_by_label("Número", exact=True).fill("14")
    submit(page)
    at_step(page, CODE, "revisio", axe=axe)
    number_row = page.locator(".check-answers__row", has=page.locator("dt", has_text=re.compile(r"^Número$")))
    assert number_row.locator(".check-answers__value").inner_text() == "14"

    # The declaration, then the submit button, from the keyboard.
    page.get_by_label(re.compile("^Declaro que les dades")).focus()
    page.keyboard.press("Space")
    assert page.get_by_label(re.compile("^Declaro que les dades")).is_checked()
    page.get_by_role("button", name="Envia la sol·licitud").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The confirmation: both numbers at once.
    assert "/tramitar/sollicitud/" in page.url, page.url
    panel = page.locator(".panel--confirmation")
    assert panel.get_by_role("heading", name="Sol·licitud registrada").is_visible()
    text = panel.inner_text()
    register_number = REGISTER_NUMBER.search(text)
    expedient_number = EXPEDIENT_NUMBER.search(text)
    assert register_number and expedient_number, text
    if axe:
        assert_accessible(page)
    return register_number[0], expedient_number[0]


def download_receipt(page, register_number: str) -> bytes:
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descarrega el justificant de registre (PDF)").click()
    download = download_info.value
    assert download.failure() is None
    path = download.path()
    content = path.read_bytes()
    assert content.startswith(b"%PDF"), content[:20]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
        assert register_number in text
    return content


def formatted(date) -> str:
    with translation.override("ca"):
        return dateformat.format(date, "j F Y")


# The journeys ----------------------------------------------------------------------------------


def test_file_change_of_address_from_the_guide_and_answer_a_correction(site, journey_page, citizen):
    page = journey_page
    # Log in through the real form.
    page.goto(site.url + "/ca/comptes/login/")
    assert_accessible(page)
    log_in(page, expect_path="/ca/carpeta/")

    # The guide, by its public short address, and its "Tramita en línia" button.
    page.goto(f"{site.url}/tramit/{CODE}")
    assert page.locator("main").get_by_text(CODE).count() > 0
    follow(page, page.locator("main").get_by_role("link", name=re.compile("^Tramita en línia")).first)

    register_number, expedient_number = file_change_of_address(page, axe=True)

    submission = Submission.objects.get(user=citizen, procedure_code=CODE)
    assert submission.status == Status.REGISTERED, submission.last_error
    assert (submission.register_number, submission.expedient_number) == (register_number, expedient_number)
    assert [item.name for item in submission.files.filter(kind="document")] == ["contracte-lloguer.pdf"]
    assert submission.answers["adreca"]["number"] == "14"
    download_receipt(page, register_number)

    # Staff of the owning department ask for a correction.
    expedient = Expedient.objects.select_related("department").get(reference=expedient_number)
    staff = UserFactory()
    expedient.department.members.add(staff)
    correction_request(expedient=expedient, actor=staff, description=CORRECTION)

    # The carpeta shows the pending request; its notification must be opened first.
    follow(page, page.get_by_role("link", name="Ves a La meva carpeta"))
    assert page.url.endswith("/ca/carpeta/")
    assert_accessible(page)
    requests = page.locator("section", has=page.get_by_role("heading", name="Requeriments pendents de resposta"))
    card = requests.locator(".card", has_text=expedient_number)
    assert card.count() == 1
    follow(page, card.get_by_role("link", name=re.compile("^Obre la notificació")))
    assert "/ca/carpeta/notificacions/" in page.url
    assert_accessible(page)
    submit(page, "Obre la notificació")
    assert CORRECTION in page.locator("main").inner_text()
    correction = CorrectionRequest.objects.get(expedient=expedient, state=CorrectionState.PENDING)
    deadline = formatted(correction.deadline)
    assert f"Podeu respondre fins al {deadline}" in page.locator("main").inner_text()
    assert_accessible(page)

    # Back in the carpeta: the request with its deadline and the "Respon" button.
    follow(page, page.locator("nav.breadcrumbs").get_by_role("link", name="La meva carpeta"))
    card = page.locator(".card", has_text=expedient_number)
    assert f"Termini: fins al {deadline}" in card.inner_text()
    assert "Us hem demanat una esmena" in page.locator("table").inner_text()
    assert_accessible(page)
    follow(page, card.get_by_role("link", name=re.compile("^Respon")))

    # GEN-APORTACIO, with the expedient already chosen.
    at_step(page, "GEN-APORTACIO", "sollicitant", axe=True)
    submit(page)
    at_step(page, "GEN-APORTACIO", "expedient", axe=True)
    chosen = page.get_by_label("A quin expedient aporteu documents?")
    assert chosen.input_value() == expedient_number
    assert "requeriment pendent fins al" in chosen.locator("option:checked").inner_text()
    submit(page)
    at_step(page, "GEN-APORTACIO", "documents", axe=True)
    page.get_by_label(re.compile("^Nota per a la persona")).fill("Adjunto el contracte complet.")
    page.locator("#id_documents-document_1").set_input_files(
        pdf_upload("contracte-complet.pdf", "Contracte de lloguer complet")
    )
    submit(page)
    at_step(page, "GEN-APORTACIO", "revisio", axe=True)
    assert "contracte-complet.pdf" in page.locator("main").inner_text()
    page.get_by_label(re.compile("^Declaro que les dades")).check()
    submit(page, "Envia la sol·licitud")
    text = page.locator(".panel--confirmation").inner_text()
    assert expedient_number in text
    answer_number = REGISTER_NUMBER.search(text)
    assert answer_number and answer_number[0] != register_number, text
    assert_accessible(page)

    # The carpeta: nothing pending any more, the expedient back in progress, the answer in its timeline.
    follow(page, page.get_by_role("link", name="Ves a La meva carpeta"))
    assert page.get_by_role("heading", name="Requeriments pendents de resposta").count() == 0
    row = page.locator("tbody tr", has_text=expedient_number)
    assert "En tràmit" in row.inner_text()
    assert_accessible(page)
    follow(page, row.get_by_role("link", name=expedient_number))
    main = page.locator("main").inner_text()
    assert "S'ha rebut la resposta al requeriment." in main
    assert "Requeriment pendent de resposta" not in main
    # What the citizen asked, as filed: the same copy staff read.
    answers = page.locator("section", has=page.get_by_role("heading", name="Què demana la sol·licitud")).inner_text()
    for expected in (street_name(STREET), "14", "contracte-lloguer.pdf", "Només jo"):
        assert expected in answers, expected
    assert "contracte-complet.pdf" in main
    assert_accessible(page)

    correction.refresh_from_db()
    expedient.refresh_from_db()
    assert correction.state == CorrectionState.ANSWERED
    assert expedient.state == State.IN_PROGRESS


def test_file_change_of_address_without_javascript(site, no_js_page, citizen):
    page = no_js_page

    # From the guide: the button asks for a login first, then opens the wizard.
    page.goto(f"{site.url}/tramit/{CODE}")
    follow(page, page.locator("main").get_by_role("link", name=re.compile("^Tramita en línia")).first)
    log_in(page, expect_path=f"/tramitar/{CODE}/pas/sollicitant/")

    register_number, expedient_number = file_change_of_address(page, axe=False)

    submission = Submission.objects.get(user=citizen, procedure_code=CODE)
    assert (submission.status, submission.register_number) == (Status.REGISTERED, register_number)
    assert submission.expedient_number == expedient_number
    download_receipt(page, register_number)
