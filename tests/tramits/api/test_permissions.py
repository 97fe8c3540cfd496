"""Who reads and who acts: citizens see only their own (404 otherwise); departments act only on their own (403)."""

import pytest

from tests.helpers.auth import login_staff_with_mfa
from tests.tramits.api.conftest import ENTRIES_URL, file_through, filing_data, pdf_upload
from tramits.expedients.models import Expedient
from tramits.expedients.services import task_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(api, people, departments):
    """Maria's filing (PADRO), with a report asked of URBANISME and a document of that report."""
    body = file_through(api["citizen"], filing_data(people["citizen"])).json()
    expedient = Expedient.objects.get(reference=body["expedient"]["reference"])
    task = task_request(
        expedient=expedient,
        actor=people["owner"],
        to_department=departments["helper"],
        kind="report",
        description="Informe de l'habitatge",
    )
    other_task = task_request(
        expedient=expedient,
        actor=people["owner"],
        to_department=departments["outsider"],
        kind="task",
        description="Comprovar els tributs",
    )
    return {"entry": body["entry"]["reference"], "expedient": expedient, "task": task, "other_task": other_task}


def reads(filed) -> dict[str, str]:
    reference, entry = filed["expedient"].reference, filed["entry"]
    return {
        "entry": f"{ENTRIES_URL}{entry}/",
        "receipt": f"{ENTRIES_URL}{entry}/justificant/",
        "expedient": f"/api/v1/expedients/{reference}/",
        "documents": f"/api/v1/expedients/{reference}/documents/",
        "document": f"/api/v1/expedients/{reference}/documents/1/file/",
        "timeline": f"/api/v1/expedients/{reference}/timeline/",
        "tasks": f"/api/v1/expedients/{reference}/tasks/",
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [("citizen", 200), ("service", 200), ("owner", 200), ("other_citizen", 404)],
)
def test_reading_matrix(api, filed, who, status):
    for name, path in reads(filed).items():
        assert api[who].get(path).status_code == status, (who, name)


def test_a_citizen_never_learns_of_anothers_expedients(api, filed):
    other = api["other_citizen"]
    assert other.get("/api/v1/expedients/").json()["count"] == 0
    assert other.get(ENTRIES_URL).json()["count"] == 0
    missing = other.get("/api/v1/expedients/EXP-1999-000009/")
    hidden = other.get(f"/api/v1/expedients/{filed['expedient'].reference}/")
    assert (missing.status_code, missing.json()) == (hidden.status_code, hidden.json())


def test_a_department_without_a_task_gets_403_for_reading_and_acting(api, filed, departments):
    unrelated = file_through(api["service"], filing_data(None, procedure_code="URB-OBRES-MENORS")).json()
    reference = unrelated["expedient"]["reference"]
    assert api["outsider"].get(f"/api/v1/expedients/{reference}/").status_code == 403
    assert api["outsider"].get(f"{ENTRIES_URL}{unrelated['entry']['reference']}/").status_code == 403
    move = api["outsider"].post(f"/api/v1/expedients/{reference}/transitions/", {"to_state": "en_tramitacio"})
    assert move.status_code == 403


ACTIONS = {
    "transition": ("transitions/", {"to_state": "en_tramitacio"}, "json"),
    "document": ("documents/", {"title": "Nota", "file": None}, "multipart"),
    "resolution": ("resolution/", {"file": None}, "multipart"),
    "task": ("tasks/", {"to_department": "hisenda", "kind": "task", "description": "x"}, "json"),
}


@pytest.mark.parametrize("action", ACTIONS.keys())
@pytest.mark.parametrize(("who", "status"), [("helper", 403), ("outsider", 403), ("citizen", 403)])
def test_only_the_owner_department_acts(api, filed, action, who, status):
    suffix, data, data_format = ACTIONS[action]
    data = {name: value if value is not None else pdf_upload() for name, value in data.items()}
    response = api[who].post(f"/api/v1/expedients/{filed['expedient'].reference}/{suffix}", data, format=data_format)
    assert response.status_code == status, response.json()
    filed["expedient"].refresh_from_db()
    assert filed["expedient"].state == "iniciat"


def test_a_helping_department_sees_only_what_concerns_it(api, filed):
    reference = filed["expedient"].reference
    helper = api["helper"]
    assert [task["id"] for task in helper.get(f"/api/v1/expedients/{reference}/tasks/").json()] == [filed["task"].pk]
    detail = helper.get(f"/api/v1/expedients/{reference}/").json()
    assert [task["id"] for task in detail["tasks"]] == [filed["task"].pk]
    timeline = helper.get(f"/api/v1/expedients/{reference}/timeline/").json()["results"]
    task_events = [event["params"]["task"] for event in timeline if event["kind"] == "task_requested"]
    assert task_events == [filed["task"].pk]
    assert len(api["owner"].get(f"/api/v1/expedients/{reference}/tasks/").json()) == 2
    other = helper.post(f"/api/v1/expedients/{reference}/tasks/{filed['other_task'].pk}/answer/", {"answer": "x"})
    assert other.status_code == 404
    owner_answers = api["owner"].post(
        f"/api/v1/expedients/{reference}/tasks/{filed['task'].pk}/answer/", {"answer": "x"}
    )
    assert owner_answers.status_code == 403


def test_citizens_do_not_see_the_coordination_between_departments(api, filed):
    reference = filed["expedient"].reference
    assert api["citizen"].get(f"/api/v1/expedients/{reference}/tasks/").json() == []
    timeline = api["citizen"].get(f"/api/v1/expedients/{reference}/timeline/").json()["results"]
    assert not [event for event in timeline if event["kind"].startswith("task_")]


def test_acting_for_someone_brings_their_permissions(api, filed, people, service_token):
    from tests.tramits.api.conftest import client_for

    reference = filed["expedient"].reference
    as_other = client_for(service_token, on_behalf_of=people["other_citizen"])
    assert as_other.get(f"/api/v1/expedients/{reference}/").status_code == 404
    as_owner = client_for(service_token, on_behalf_of=people["owner"])
    response = as_owner.post(f"/api/v1/expedients/{reference}/transitions/", {"to_state": "en_tramitacio"})
    assert response.status_code == 200
    assert filed["expedient"].events.filter(kind="state_changed", actor=people["owner"]).exists()


def test_only_internal_systems_act_for_someone(api, people):
    api["citizen"].defaults["HTTP_X_ON_BEHALF_OF"] = str(people["other_citizen"].pk)
    assert api["citizen"].get("/api/v1/expedients/").status_code == 403


def test_staff_sessions_need_the_second_factor(client, people, filed):
    reference = filed["expedient"].reference
    client.force_login(people["owner"])
    assert client.get(f"/api/v1/expedients/{reference}/").status_code == 403
    login_staff_with_mfa(client, people["owner"])
    assert client.get(f"/api/v1/expedients/{reference}/").status_code == 200


def test_citizen_sessions_work_without_a_second_factor(client, people, filed):
    client.force_login(people["citizen"])
    assert client.get(f"/api/v1/expedients/{filed['expedient'].reference}/").status_code == 200
