"""A demo desk clerk registers a paper filing for every catalogue procedure and sees each register number.

The clerk is the demo's atencio@seu.example, created here as `make run` creates it, who logs in
through the real login page with the password and a TOTP code. The live server answers on the
test's database connection (see test_filing_journey.py), so every filing rolls back with the test.
"""

import re
import threading

import pytest

from tests.browser.test_filing_journey import pdf_document, shared_connection  # noqa: F401 (a fixture)
from tests.helpers.auth import totp_authenticator, totp_code
from tests.tramits.expedients.factories import dni
from tramits.accounts.models import User
from tramits.catalogue.procedures import PROCEDURES
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CLERK = "atencio@seu.example"
DESK = "/admin/expedients/registre-presencial/"
CONTRIBUTION = "GEN-APORTACIO"
REGISTER_NUMBER = re.compile(r"^E-\d{4}-\d{6}$")
EXPEDIENT_NUMBER = re.compile(r"\bEXP-\d{4}-\d{6}\b")


@pytest.fixture
def clerk_secret(shared_connection) -> str:  # noqa: F811 (the imported fixture)
    """The demo accounts, loaded as `make run` loads them; the clerk's TOTP secret, as their app holds it."""
    from content.demo.loader import DemoLoader, departments_ensure

    DemoLoader().accounts(departments_ensure())
    _authenticator, secret = totp_authenticator(User.objects.get(email=CLERK))
    return secret


@pytest.fixture
def one_request_at_a_time(site, shared_connection):  # noqa: F811 (the imported fixture)
    """The server answers one request at a time while it shares the test's connection.

    Admin pages fetch their jsi18n script as the next page is asked for; two requests at once on
    one SQLite connection release each other's savepoints.
    """
    httpd = site.thread.httpd
    app, lock = httpd.get_app(), threading.Lock()

    def serialised(environ, start_response):
        with lock:
            return app(environ, start_response)

    httpd.set_app(serialised)
    try:
        yield
    finally:
        httpd.set_app(app)


@pytest.fixture
def desk_page(browser, one_request_at_a_time):
    context = browser.new_context(locale="ca-ES")
    yield context.new_page()
    context.close()


def log_in_as_clerk(page, site, secret: str) -> None:
    from content.demo.loader import DEMO_PASSWORD

    page.goto(site.url + DESK)
    assert "/comptes/login/" in page.url, page.url
    page.locator("input[name=login]").fill(CLERK)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    assert "/comptes/2fa/authenticate/" in page.url, page.url
    page.locator("input[name=code]").fill(totp_code(secret))
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")
    assert page.url == site.url + DESK, page.locator("main").inner_text()


def file_at_the_desk(page, site, code: str, expedient_number: str = "") -> None:
    page.goto(site.url + DESK)
    page.locator("[name=applicant_name]").fill("Montserrat Riera i Solé")
    page.locator("[name=applicant_document_type]").select_option("dni")
    page.locator("[name=applicant_document_number]").fill(dni(39_876_543))
    page.locator("[name=procedure_code]").select_option(code)
    if expedient_number:
        page.locator("[name=expedient_number]").fill(expedient_number)
    page.locator("[name=subject]").fill(f"Sol·licitud en paper ({code})")
    page.locator("input[name=attachments]").set_input_files(
        [{"name": "sollicitud.pdf", "mimeType": "application/pdf", "buffer": pdf_document(f"Sollicitud {code}")}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Registra", exact=True).press("Enter")


def test_the_desk_clerk_files_every_catalogue_procedure(site, desk_page, clerk_secret):
    page = desk_page
    entries_before, expedients_before = RegisterEntry.objects.count(), Expedient.objects.count()
    log_in_as_clerk(page, site, clerk_secret)

    numbers: dict[str, str] = {}
    first_expedient = ""
    for procedure in sorted(PROCEDURES, key=lambda p: p.code == CONTRIBUTION):  # the contribution needs one open
        contributing = procedure.code == CONTRIBUTION
        file_at_the_desk(page, site, procedure.code, expedient_number=first_expedient if contributing else "")
        assert page.locator(".error-summary").count() == 0, f"{procedure.code}: {page.locator('main').inner_text()}"
        assert page.locator(".confirmation h2").inner_text() == "Sol·licitud registrada", procedure.code
        numbers[procedure.code] = page.locator(".confirmation .reference").inner_text().strip()
        assert REGISTER_NUMBER.match(numbers[procedure.code]), (procedure.code, numbers[procedure.code])
        opened = EXPEDIENT_NUMBER.search(page.get_by_role("link", name=re.compile("^Obre l'expedient")).inner_text())
        first_expedient = first_expedient or opened[0]
        if contributing:
            assert opened[0] == first_expedient

    assert len(set(numbers.values())) == len(PROCEDURES)
    assert RegisterEntry.objects.count() == entries_before + len(PROCEDURES)
    assert Expedient.objects.count() == expedients_before + len(PROCEDURES) - 1
    contribution = RegisterEntry.objects.get(reference=numbers[CONTRIBUTION])
    assert Expedient.objects.get(reference=first_expedient).documents.filter(register_entry=contribution).count() == 1
