"""A citizen on the API files as themselves, identified as their login proved, or for someone they represent."""

import datetime as dt

import pytest
from freezegun import freeze_time

from tests.tramits.api.conftest import client_for, file_through, filing_data, session_client_for
from tests.tramits.carpeta.fixtures import representation_accepted
from tests.tramits.expedients.factories import UserFactory, dni
from tramits.api.models import IdempotentRequest
from tramits.registre.models import RegisterEntry
from tramits.representacions.models import RepresentationScope
from tramits.representacions.services import representation_request

pytestmark = pytest.mark.django_db
REPRESENTED = dni(33_333_333)


def for_represented(citizen, **overrides) -> dict:
    """Maria files for the person she represents: they are `represented`, she says how she logged in."""
    data = {
        "applicant_name": "Pere Roca Vidal",
        "applicant_document_number": REPRESENTED,
        "applicant_identified_by": "represented",
        "representative_name": "Maria Puig Soler",
        "representative_document_number": citizen.document_number,
        "representative_identified_by": "oidc_valid",
    }
    return filing_data(citizen, **{**data, **overrides})


def refused(response, *fields: str) -> None:
    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]) == set(fields)
    assert not RegisterEntry.objects.exists() and not IdempotentRequest.objects.exists()


def test_a_citizen_files_as_themselves_with_their_method(api, people):
    assert file_through(api["citizen"], filing_data(people["citizen"])).status_code == 201


def test_a_citizen_cannot_claim_another_person(api, people):
    other = filing_data(people["citizen"], applicant_document_number=people["other_citizen"].document_number)
    response = file_through(api["citizen"], other)
    refused(response, "applicant_document_number")
    assert response.json()["errors"]["applicant_document_number"] == [
        "Heu de ser l'interessat o el seu representant: el vostre document no hi consta."
    ]


def test_a_citizen_cannot_claim_another_method(api, people):
    response = file_through(api["citizen"], filing_data(people["citizen"], applicant_identified_by="oidc_clave"))
    refused(response, "applicant_identified_by")
    assert response.json()["errors"]["applicant_identified_by"] == [
        "Heu d'indicar la manera com us heu identificat en entrar a la seu: «idCAT / VÀLid»."
    ]


def test_a_password_account_is_identified_by_its_password(api, calendar_seeded):
    citizen = UserFactory(document_type="dni", document_number=dni(44_444_444))
    client = session_client_for(citizen)
    refused(file_through(client, filing_data(citizen)), "applicant_identified_by")
    assert file_through(client, filing_data(citizen, applicant_identified_by="password")).status_code == 201


def test_a_citizen_filing_for_themselves_names_no_representative(api, people):
    data = filing_data(
        people["citizen"],
        representative_name="Joan Mas",
        representative_document_number=people["other_citizen"].document_number,
        representative_identified_by="oidc_valid",
    )
    refused(file_through(api["citizen"], data), "representative_document_number")


def test_a_system_acting_for_a_citizen_meets_the_same_rules(api, people, service_token):
    as_citizen = client_for(service_token, on_behalf_of=people["citizen"])
    other = filing_data(people["citizen"], applicant_document_number=people["other_citizen"].document_number)
    refused(file_through(as_citizen, other), "applicant_document_number")


def test_a_representative_with_an_accepted_representation_files(api, people):
    representation_accepted(people["citizen"], document_number=REPRESENTED)
    response = file_through(api["citizen"], for_represented(people["citizen"]))
    assert response.status_code == 201, response.json()
    entry = response.json()["entry"]
    assert entry["applicant"]["document_number"] == REPRESENTED
    assert entry["representative"]["document_number"] == people["citizen"].document_number


def test_a_representative_without_a_representation_is_refused(api, people):
    response = file_through(api["citizen"], for_represented(people["citizen"]))
    refused(response, "applicant_document_number")
    assert response.json()["errors"]["applicant_document_number"] == [
        "No consta cap representació acceptada i vigent d'aquesta persona a favor vostre per a aquest tràmit."
    ]


def test_a_representation_only_requested_is_not_enough(api, people):
    representation_request(
        representative=people["citizen"], represented_name="Pere Roca Vidal", represented_document_number=REPRESENTED
    )
    refused(file_through(api["citizen"], for_represented(people["citizen"])), "applicant_document_number")


def test_an_expired_representation_is_not_enough(api, people):
    with freeze_time("2026-03-02 10:00:00+00:00"):
        representation_accepted(
            people["citizen"],
            document_number=REPRESENTED,
            valid_from=dt.date(2026, 3, 2),
            valid_until=dt.date(2026, 3, 31),
        )
    with freeze_time("2026-04-15 10:00:00+00:00"):
        refused(file_through(api["citizen"], for_represented(people["citizen"])), "applicant_document_number")


def test_a_representation_for_other_procedures_is_not_enough(api, people):
    representation_accepted(
        people["citizen"],
        document_number=REPRESENTED,
        scope=RepresentationScope.PROCEDURES,
        procedure_codes=["PADRO-BAIXA"],
    )
    refused(file_through(api["citizen"], for_represented(people["citizen"])), "applicant_document_number")
    assert (
        file_through(api["citizen"], for_represented(people["citizen"], procedure_code="PADRO-BAIXA")).status_code
        == 201
    )


def test_a_representative_claims_their_own_method_and_the_applicant_is_represented(api, people):
    representation_accepted(people["citizen"], document_number=REPRESENTED)
    data = for_represented(
        people["citizen"], representative_identified_by="password", applicant_identified_by="oidc_valid"
    )
    refused(file_through(api["citizen"], data), "representative_identified_by", "applicant_identified_by")
