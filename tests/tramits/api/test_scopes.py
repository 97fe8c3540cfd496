"""The scope of a service account: the operations it may use and the procedures it may file; keys per account."""

import pytest

from tests.tramits.api.conftest import ENTRIES_URL, client_for, file_through, filing_data, new_key, private_files
from tramits.api.models import IdempotentRequest
from tramits.api.services import service_account_token_create
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry

pytestmark = pytest.mark.django_db


def system(email: str = "padro-app@example.org", **scope):
    return client_for(service_account_token_create(email=email, **scope).key)


def _nothing_written(settings) -> None:
    assert not RegisterEntry.objects.exists() and not Expedient.objects.exists()
    assert not IdempotentRequest.objects.exists()
    assert private_files(settings) == []


def test_a_new_account_only_reads(api, settings):
    reader = system()
    assert reader.get(ENTRIES_URL).status_code == 200
    assert reader.get("/api/v1/expedients/").status_code == 200
    response = file_through(reader, filing_data(None))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Aquest sistema no té permís per a l'operació «Presentar sol·licituds al registre d'entrada» de l'API."
    )
    _nothing_written(settings)


def test_a_system_files_only_its_procedures(api, settings):
    padro = system(operations=["file"], procedure_codes=["PADRO-ALTA"])
    refused = file_through(padro, filing_data(None, procedure_code="GEN-INSTANCIA"))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Aquest sistema no té permís per presentar el tràmit GEN-INSTANCIA."
    _nothing_written(settings)
    assert file_through(padro, filing_data(None, procedure_code="padro-alta")).status_code == 201
    assert padro.get(ENTRIES_URL).status_code == 403


def test_a_system_without_procedures_files_nothing(api, settings):
    response = file_through(system(operations=["file", "read"]), filing_data(None))
    assert response.status_code == 403
    assert response.json()["detail"] == "Aquest sistema no té permís per presentar cap tràmit."
    _nothing_written(settings)


@pytest.fixture
def expedient(api, people):
    body = file_through(api["service"], filing_data(people["citizen"], citizen=people["citizen"].pk)).json()
    return Expedient.objects.get(reference=body["expedient"]["reference"])


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("transitions/", {"to_state": "en_tramitacio"}),
        ("tasks/", {"to_department": "URBANISME", "kind": "task", "description": "x"}),
    ],
)
def test_acting_on_expedients_needs_act_even_for_a_person(api, people, expedient, suffix, data):
    reader = service_account_token_create(email="carpeta@example.org", operations=["read", "file"]).key
    for client in (client_for(reader), client_for(reader, on_behalf_of=people["owner"])):
        response = client.post(f"/api/v1/expedients/{expedient.reference}/{suffix}", data, format="json")
        assert response.status_code == 403, response.json()
        assert client.get(f"/api/v1/expedients/{expedient.reference}/").status_code == 200
    expedient.refresh_from_db()
    assert expedient.state == "iniciat" and not expedient.tasks.exists()
    backoffice = client_for(service_account_token_create(email="gestor@example.org", operations=["act"]).key)
    moved = backoffice.post(f"/api/v1/expedients/{expedient.reference}/transitions/", {"to_state": "en_tramitacio"})
    assert moved.status_code == 200


def test_two_systems_with_the_same_key_get_two_entries(api, people):
    key = new_key()
    first = system("padro-app@example.org", operations=["file"], all_procedures=True)
    second = system("oac-app@example.org", operations=["file"], all_procedures=True)
    one = file_through(first, filing_data(people["citizen"]), key)
    other = file_through(second, filing_data(people["citizen"]), key)
    assert (one.status_code, other.status_code) == (201, 201)
    assert one.json()["entry"]["reference"] != other.json()["entry"]["reference"]
    again = file_through(first, filing_data(people["citizen"]), key)
    assert (again.status_code, again.json()) == (200, one.json())
    assert RegisterEntry.objects.count() == 2
