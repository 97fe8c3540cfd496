"""The desk files every procedure of the catalogue; GEN-APORTACIO adds to the expedient it names."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.tramits.backoffice.conftest import JPEG
from tests.tramits.expedients.factories import DepartmentFactory, ExpedientFactory
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import DEPARTMENTS, PROCEDURES
from tramits.expedients.models import Expedient, ExpedientDocument
from tramits.registre.models import Channel, IdentificationMethod, RegisterEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]

CONTRIBUTION = "GEN-APORTACIO"
CODES = [procedure.code for procedure in PROCEDURES]


@pytest.fixture
def catalogue_departments(departments) -> dict[str, Department]:
    """Every department of the catalogue, in its spelling (the conftest's four among them)."""
    return {
        code: DepartmentFactory(code=code, dir3=dir3, name_ca=ca, name_es=es, name_en=en)
        for code, dir3, ca, es, en in DEPARTMENTS
    }


@pytest.fixture
def desk(login, people):
    return login(people["desk"])


@pytest.fixture
def open_expedient(catalogue_departments):
    """An expedient of Urbanisme that is being worked, for GEN-APORTACIO to add documents to."""
    return ExpedientFactory(
        department=catalogue_departments["URBANISME"], procedure_code="URB-OBRES-MENORS", in_progress=True
    )


def form_key(client) -> str:
    page = client.get(reverse("backoffice:desk")).content.decode()
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)[1]


def filing(key: str, code: str, **overrides) -> dict:
    data = {
        "idempotency_key": key,
        "applicant_name": "Jordi Mas Pujol",
        "applicant_document_type": "dni",
        "applicant_document_number": "12345678Z",
        "applicant_identified_by": IdentificationMethod.IN_PERSON_ID,
        "representative_name": "",
        "representative_document_type": "dni",
        "representative_document_number": "",
        "procedure_code": code,
        "expedient_number": "",
        "subject": f"Sol·licitud {code} presentada a l'OAC",
        "attachments": [
            SimpleUploadedFile("sollicitud.pdf", b"%PDF-1.4 sollicitud signada", "application/pdf"),
            SimpleUploadedFile("annex.jpg", JPEG, "image/jpeg"),
        ],
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int]:
    return RegisterEntry.objects.count(), Expedient.objects.count(), ExpedientDocument.objects.count()


@pytest.mark.parametrize("code", CODES)
def test_the_desk_files_every_catalogue_procedure(desk, people, catalogue_departments, open_expedient, code):
    extra = {"expedient_number": open_expedient.reference.lower()} if code == CONTRIBUTION else {}
    entries, expedients, documents = counts()

    response = desk.post(reverse("backoffice:desk"), filing(form_key(desk), code, **extra))

    assert response.status_code == 302, response.context["form"].errors
    entry = RegisterEntry.objects.latest("pk")
    assert (entry.procedure_code, entry.channel, entry.submitted_by) == (code, Channel.IN_PERSON, people["desk"])
    assert RegisterEntry.objects.count() == entries + 1
    if code == CONTRIBUTION:
        # No new expedient: the documents join the one named, in its department.
        assert Expedient.objects.count() == expedients
        expedient = open_expedient
        assert list(expedient.documents.filter(register_entry=entry).values_list("title", flat=True)) == [
            "sollicitud.pdf",
            "annex.jpg",
        ]
    else:
        assert Expedient.objects.count() == expedients + 1
        expedient = Expedient.objects.get(opening_entry=entry)
        assert expedient.department == catalogue_departments[next(p for p in PROCEDURES if p.code == code).department]
        assert expedient.procedure_code == code
    assert ExpedientDocument.objects.count() == documents + 2
    assert entry.unit_dir3 == expedient.department.dir3

    page = desk.get(response["Location"]).content.decode()
    assert entry.reference in page
    assert reverse("backoffice:detail", args=[expedient.reference]) in page


def test_the_expedient_number_sits_with_the_procedure(desk, catalogue_departments):
    page = desk.get(reverse("backoffice:desk")).content.decode()
    fieldset = re.search(r"<legend>Sol·licitud</legend>(.*?)</fieldset>", page, re.S)[1]
    assert 'name="procedure_code"' in fieldset
    assert 'name="expedient_number"' in fieldset


def test_departments_stored_in_lower_case_still_receive_filings(desk, people):
    """The demo used to store "padro" where the catalogue says "PADRO"; the desk found nothing."""
    padro = DepartmentFactory(code="padro", dir3="LA0019781")

    response = desk.post(reverse("backoffice:desk"), filing(form_key(desk), "PADRO-ALTA"))

    assert response.status_code == 302
    assert Expedient.objects.get().department == padro


def test_an_expedient_number_for_another_procedure_is_left_aside(desk, catalogue_departments, open_expedient):
    entries, expedients, _documents = counts()

    response = desk.post(
        reverse("backoffice:desk"), filing(form_key(desk), "GEN-QUEIXES", expedient_number=open_expedient.reference)
    )

    assert response.status_code == 302
    assert counts()[:2] == (entries + 1, expedients + 1)
    assert not open_expedient.documents.filter(register_entry__procedure_code="GEN-QUEIXES").exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Per aportar documents, indiqueu el número de l&#x27;expedient."),
        ("EXP-2020-999999", "No hi ha cap expedient amb aquest número."),
        ("archived", "Aquest expedient està arxivat: no s&#x27;hi poden aportar documents."),
    ],
)
def test_a_contribution_needs_an_expedient_that_takes_documents(desk, catalogue_departments, number, message):
    if number == "archived":
        number = ExpedientFactory(department=catalogue_departments["PADRO"], archived=True).reference
    before = counts()

    response = desk.post(reverse("backoffice:desk"), filing(form_key(desk), CONTRIBUTION, expedient_number=number))

    assert response.status_code == 400
    assert response.context["form"].errors["expedient_number"]
    page = response.content.decode()
    assert "Hi ha un problema" in page
    assert message in page
    assert counts() == before


def test_a_procedure_without_its_department_is_refused_and_writes_nothing(desk, catalogue_departments):
    catalogue_departments["VIAPUBLICA"].delete()

    response = desk.post(reverse("backoffice:desk"), filing(form_key(desk), "VIA-TERRASSA"))

    assert response.status_code == 400
    assert response.context["form"].errors["procedure_code"] == [
        "Aquest tràmit no té cap departament responsable configurat."
    ]
    assert counts() == (0, 0, 0)


def test_a_contribution_with_bad_input_elsewhere_writes_nothing(desk, catalogue_departments, open_expedient):
    before = counts()

    response = desk.post(
        reverse("backoffice:desk"),
        filing(
            form_key(desk), CONTRIBUTION, expedient_number=open_expedient.reference, applicant_document_number="1234A"
        ),
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"applicant_document_number"}
    assert counts() == before
