"""`/expedients/`: lists and filters, detail, documents, transitions, resolution, tasks and timeline."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from tests.tramits.api.conftest import PDF, pdf_upload
from tests.tramits.expedients.factories import ExpedientFactory, dni
from tramits.expedients.models import Expedient
from tramits.expedients.services import Interested

pytestmark = pytest.mark.django_db
LIST_URL = "/api/v1/expedients/"


def url(expedient, suffix: str = "") -> str:
    return f"{LIST_URL}{expedient.reference}/{suffix}"


@pytest.fixture
def spread(api, departments):
    """PADRO expedients in several states and dates, and one of URBANISME."""
    owner = departments["owner"]
    with freeze_time("2026-03-10 09:00:00+00:00"):
        old = ExpedientFactory(
            department=owner,
            in_progress=True,
            interested=[Interested(name="Núria Martí-Pérez", document_number=dni(55_443_322))],
        )
        queixa = ExpedientFactory(department=owner, procedure_code="GEN-QUEIXES")
    return {
        "old": old,
        "queixa": queixa,
        "resolved": ExpedientFactory(department=owner, procedure_code="GEN-QUEIXES", resolved=True),
        "new": ExpedientFactory(department=owner),
        "elsewhere": ExpedientFactory(department=departments["helper"], procedure_code="URB-OBRES-MENORS"),
    }


def references(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {item["reference"] for item in response.json()["results"]}


def test_filters(api, spread):
    owner = api["owner"]

    def listed(**params):
        return references(owner.get(LIST_URL, params))

    names = {key: expedient.reference for key, expedient in spread.items()}
    assert listed() == {names[k] for k in ("old", "queixa", "resolved", "new")}
    assert listed(state="en_tramitacio") == {names["old"]}
    assert listed(procedure="gen-queixes") == {names["queixa"], names["resolved"]}
    assert listed(department="padro", state="resolt") == {names["resolved"]}
    assert listed(overdue="true") == {names["old"], names["queixa"]}
    assert listed(due_before="2026-05-01") == {names["queixa"]}
    assert listed(q="nuria marti") == {names["old"]}
    assert listed(q=f"{dni(55_443_322)[:2]}.{dni(55_443_322)[2:]}") == {names["old"]}
    assert listed(q=spread["new"].reference.lower()) == {names["new"]}
    assert references(api["service"].get(LIST_URL, {"department": "urbanisme"})) == {names["elsewhere"]}
    body = owner.get(LIST_URL, {"overdue": "true"}).json()
    assert all(item["is_overdue"] for item in body["results"])


@pytest.mark.parametrize(
    ("params", "field"),
    [({"state": "perdut"}, "state"), ({"due_before": "ahir"}, "due_before"), ({"department": "ningu"}, "department")],
)
def test_bad_filters_are_400(api, params, field):
    response = api["owner"].get(LIST_URL, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_pagination_keeps_the_query_count(api, departments):
    for _ in range(3):
        ExpedientFactory(department=departments["owner"])

    def count_queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api["owner"].get(LIST_URL, {"page_size": page_size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == page_size
        return len(captured.captured_queries)

    small = count_queries(1)
    for _ in range(5):
        ExpedientFactory(department=departments["owner"])
    assert count_queries(8) == small
    # A staff session: the session and its user, the second-factor rule (two permission reads), the
    # department look-ups (authentication, caller, visibility), count, page, and the session saved.
    assert small <= 12
    page = api["owner"].get(LIST_URL, {"page_size": 3, "page": 2}).json()
    assert page["count"] == 8 and page["previous"] and page["next"]


def test_detail_has_parties_index_and_terms(api, spread):
    response = api["owner"].get(url(spread["old"]))
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == spread["old"].reference
    assert body["state"] == "en_tramitacio" and body["term_unit"] == "months" and body["due_date"] == "2026-06-10"
    assert body["opening_entry"] == spread["old"].opening_entry.reference
    assert [party["name"] for party in body["interested"]] == ["Núria Martí-Pérez"]
    assert [document["sha256"] for document in body["documents"]] == list(
        spread["old"].documents.order_by("sequence").values_list("sha256", flat=True)
    )
    assert body["documents"][0]["download_url"].endswith(url(spread["old"], "documents/1/file/"))
    assert body["pending_correction"] is None and body["tasks"] == []


def test_documents_add_list_and_download(api, spread):
    expedient = spread["new"]
    response = api["owner"].post(
        url(expedient, "documents/"),
        {"title": "Informe de la policia", "document_type": "informe", "file": pdf_upload("informe.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    added = response.json()
    assert added["document_type"] == "informe" and added["nti_document_type"] == "TD13"
    index = api["owner"].get(url(expedient, "documents/")).json()
    assert index[-1]["sequence"] == added["sequence"]
    download = api["owner"].get(url(expedient, f"documents/{added['sequence']}/file/"))
    assert b"".join(download.streaming_content) == PDF
    assert api["owner"].get(url(expedient, "documents/99/file/")).status_code == 404
    assert expedient.events.filter(kind="document_added", actor__isnull=False).count() == 1


def test_transitions(api, spread):
    expedient, owner = spread["new"], api["owner"]

    def move(to_state, reason=""):
        return owner.post(url(expedient, "transitions/"), {"to_state": to_state, "reason": reason}, format="json")

    assert move("en_tramitacio").json()["state"] == "en_tramitacio"
    assert move("suspes").status_code == 400  # a suspension needs its reason
    assert move("suspes", "Informe preceptiu").json()["state"] == "suspes"
    assert move("en_tramitacio", "Ja tenim l'informe").json()["state"] == "en_tramitacio"
    corrected = move("pendent_esmena", "Falta el contracte signat").json()
    assert corrected["state"] == "pendent_esmena"
    assert corrected["pending_correction"]["description"] == "Falta el contracte signat"
    refused = move("arxivat")
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"
    assert move("resolt").status_code == 400  # resolving has its own endpoint
    steps = {"state_changed", "suspended", "resumed", "correction_requested"}
    kinds = [kind for kind in expedient.events.order_by("pk").values_list("kind", flat=True) if kind in steps]
    assert kinds == ["state_changed", "suspended", "resumed", "correction_requested"]


def test_resolve_then_archive(api, spread):
    expedient = spread["old"]
    response = api["owner"].post(
        url(expedient, "resolution/"),
        {"title": "Resolució d'alta", "file": pdf_upload("resolucio.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "resolt" and body["resolution_entry"].startswith("S-")
    archived = api["owner"].post(url(expedient, "transitions/"), {"to_state": "arxivat"}, format="json")
    assert archived.json()["state"] == "arxivat"
    closed = api["owner"].post(
        url(expedient, "documents/"), {"title": "Tard", "file": pdf_upload()}, format="multipart"
    )
    assert closed.status_code == 409 and closed.json()["code"] == "expedient_closed"


def test_tasks_between_departments(api, spread, departments):
    expedient = spread["new"]
    asked = api["owner"].post(
        url(expedient, "tasks/"),
        {"to_department": "urbanisme", "kind": "report", "description": "Informe de l'habitatge"},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    task = asked.json()
    assert task["from_department"] == "PADRO" and task["to_department"] == "URBANISME" and task["state"] == "pending"
    inbox = api["helper"].get("/api/v1/tasks/").json()
    assert [(item["expedient"], item["id"]) for item in inbox["results"]] == [(expedient.reference, task["id"])]
    assert api["owner"].get("/api/v1/tasks/").json()["count"] == 0
    answered = api["helper"].post(
        url(expedient, f"tasks/{task['id']}/answer/"),
        {"answer": "Habitatge correcte", "report": pdf_upload("informe.pdf"), "report_title": "Informe tècnic"},
        format="multipart",
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["state"] == "done"
    again = api["helper"].post(url(expedient, f"tasks/{task['id']}/answer/"), {"answer": "Un altre"}, format="json")
    assert again.status_code == 409
    documents = api["owner"].get(url(expedient, "documents/")).json()
    assert documents[-1]["task"] == task["id"] and documents[-1]["title"] == "Informe tècnic"
    to_self = api["owner"].post(
        url(expedient, "tasks/"), {"to_department": "padro", "kind": "task", "description": "x"}, format="json"
    )
    assert to_self.status_code == 400 and "to_department" in to_self.json()["errors"]


def test_timeline_oldest_first(api, spread):
    expedient = spread["old"]
    response = api["owner"].get(url(expedient, "timeline/"))
    assert response.status_code == 200
    kinds = [event["kind"] for event in response.json()["results"]]
    assert kinds[0] == "opened" and kinds[-1] == "state_changed"
    assert response.json()["results"][0]["kind_display"] == "Obertura"


def test_unknown_expedient_is_404(api):
    assert api["owner"].get(f"{LIST_URL}EXP-1999-000001/").status_code == 404
    assert api["service"].get(f"{LIST_URL}EXP-1999-000001/timeline/").status_code == 404


def test_dates_in_json_are_iso(api, spread):
    body = api["service"].get(url(spread["new"])).json()
    assert dt.datetime.fromisoformat(body["opened_at"]).tzinfo is not None
    assert Expedient.objects.get(reference=body["reference"]).due_date.isoformat() == body["due_date"]
