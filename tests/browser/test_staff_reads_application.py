"""The padró case handler reads every answer of a PADRO-ALTA on the expedient screen, in their own language.

A citizen files a PADRO-ALTA for two people with a rental contract; the demo's padro@seu.example
logs in through the real login page (password and TOTP) and opens the expedient.
"""

import re

import pytest
from django.test import Client

from tests.browser.test_desk_every_procedure import one_request_at_a_time  # noqa: F401 (a fixture)
from tests.browser.test_filing_journey import shared_connection  # noqa: F401 (a fixture)
from tests.helpers.auth import totp_authenticator, totp_code
from tests.tramits.wizards.helpers import ADDRESS, Wizard, make_citizen, pdf
from tramits.accounts.models import User
from tramits.registre.models import RegisterEntry
from tramits.submissions.models import Status, Submission
from tramits.wizards.streets import street_name

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HANDLER = "padro@seu.example"
PEOPLE = {
    "name_1": "Arnau Puig Vidal",
    "birth_date_1": "1988-03-14",
    "document_1": "12345678Z",
    "relationship_1": "parella",
    "name_2": "Queralt Puig Vidal",
    "birth_date_2": "2015-06-02",
    "relationship_2": "filla",
}


@pytest.fixture
def handler_secret(shared_connection) -> str:  # noqa: F811 (the imported fixture)
    from content.demo.loader import DemoLoader, departments_ensure

    DemoLoader().accounts(departments_ensure())
    _authenticator, secret = totp_authenticator(User.objects.get(email=HANDLER))
    return secret


@pytest.fixture
def staff_page(browser, one_request_at_a_time):  # noqa: F811 (the imported fixture)
    context = browser.new_context(locale="ca-ES")
    yield context.new_page()
    context.close()


def file_padro_alta_for_two() -> Submission:
    client = Client()
    client.force_login(make_citizen(email="marta.alta@example.org", number=44_555_666))
    wizard = Wizard(client, "PADRO-ALTA")
    wizard.fill(
        [
            ("sollicitant", {"email": "marta.alta@example.org", "phone": "600000000"}, {}),
            ("qui", {"who": "jo-i-altres", "minors": "si"}, {}),
            ("persones", PEOPLE, {}),
            ("menors", {"custody": "consentiment"}, {"consent_document": pdf("autoritzacio-progenitor.pdf")}),
            (
                "procedencia",
                {"origin": "altre-municipi", "previous_municipality": "Tàrrega", "previous_province": "Lleida"},
                {},
            ),
            ("adreca", ADDRESS, {}),
            ("acreditacio", {"path": "titol-o-lloguer"}, {}),
            ("document-habitatge", {}, {"housing_document": pdf("contracte-lloguer.pdf")}),
        ]
    )
    wizard.submit()
    submission = Submission.objects.get(procedure_code="PADRO-ALTA")
    assert submission.status == Status.REGISTERED, submission.last_error
    return submission


def test_the_padro_handler_reads_every_answer_on_the_expedient(site, staff_page, handler_secret):
    submission = file_padro_alta_for_two()
    page = staff_page
    page.goto(f"{site.url}/admin/expedients/{submission.expedient_number}/")
    assert "/comptes/login/" in page.url, page.url
    from content.demo.loader import DEMO_PASSWORD

    page.locator("input[name=login]").fill(HANDLER)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    page.locator("input[name=code]").fill(totp_code(handler_secret))
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")
    assert submission.expedient_number in page.locator("main").inner_text(), page.url

    answers = page.locator("section", has=page.get_by_role("heading", name="Què demana la sol·licitud"))
    text = answers.inner_text()
    for expected in (
        "Jo i altres persones",
        "Arnau Puig Vidal",
        "12345678Z",
        "parella",
        "Queralt Puig Vidal",
        "filla",
        "Tàrrega",
        street_name(ADDRESS["street"]),
        ADDRESS["number"],
        "contracte-lloguer.pdf",
        "autoritzacio-progenitor.pdf",
    ):
        assert expected in text, expected
    assert re.search(r"Persona 2: data de naixement\s+0?2/0?6/2015", text), text
    # The application's PDF copy is in the expedient's index beside the documents.
    entry = RegisterEntry.objects.get(reference=submission.register_number)
    assert entry.attachments.count() == 4
    assert page.get_by_text("sollicitud.pdf").count() >= 1
