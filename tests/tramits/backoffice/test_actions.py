"""Each action goes through its service, writes its timeline event, and is refused to other departments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from tests.tramits.backoffice.conftest import PNG
from tests.tramits.expedients.factories import ExpedientFactory, pdf
from tramits.expedients import services
from tramits.expedients.models import CorrectionRequest, Event, Expedient, ExpedientDocument, State, Task
from tramits.registre.models import Register, RegisterEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture
def expedient(departments):
    with freeze_time("2026-03-10 09:00:00+00:00"):
        return ExpedientFactory(department=departments["owner"])


def url(name: str, expedient: Expedient, *extra) -> str:
    return reverse(f"backoffice:{name}", args=[expedient.reference, *extra])


def events(expedient: Expedient) -> list[str]:
    return list(Event.objects.filter(expedient=expedient).order_by("created_at", "pk").values_list("kind", flat=True))


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_assign_to_me_and_to_a_colleague(login, people, expedient):
    client = login(people["owner"])
    assert client.get(url("assign", expedient)).status_code == 200
    response = client.post(url("assign", expedient), {"assignee": people["owner"].pk})
    assert response.status_code == 302
    expedient.refresh_from_db()
    assert expedient.assigned_to == people["owner"]
    client.post(url("assign", expedient), {"assignee": people["owner_colleague"].pk})
    expedient.refresh_from_db()
    assert expedient.assigned_to == people["owner_colleague"]
    assert events(expedient)[-2:] == ["assigned", "assigned"]


def test_only_a_colleague_of_the_department_can_be_assigned(login, people, expedient):
    response = login(people["owner"]).post(url("assign", expedient), {"assignee": people["helper"].pk})
    assert response.status_code == 400
    assert "Hi ha un problema" in response.content.decode()
    expedient.refresh_from_db()
    assert expedient.assigned_to is None


def test_start_processing(login, people, expedient):
    login(people["owner"]).post(url("start", expedient))
    expedient.refresh_from_db()
    assert expedient.state == State.IN_PROGRESS
    assert events(expedient)[-1] == "state_changed"


@freeze_time("2026-03-12 10:00:00+00:00")
def test_request_a_correction_shows_the_ten_business_days(login, people, expedient):
    client = login(people["owner"])
    form = client.get(url("correction_request", expedient)).content.decode()
    assert "10 dies hàbils" in form
    assert "26/03/2026" in form  # Thursday 12 March + 10 business days
    response = client.post(url("correction_request", expedient), {"description": "Falta el contracte signat."})
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get(expedient=expedient)
    assert correction.state == "pending"
    expedient.refresh_from_db()
    assert expedient.state == State.PENDING_CORRECTION
    assert "correction_requested" in events(expedient)
    detail = client.get(url("detail", expedient)).content.decode()
    assert "Requeriments d'esmena pendents" in detail
    assert "Falta el contracte signat." in detail


def test_a_correction_needs_a_description(login, people, expedient):
    response = login(people["owner"]).post(url("correction_request", expedient), {"description": ""})
    assert response.status_code == 400
    assert not CorrectionRequest.objects.exists()


def test_record_a_paper_answer_to_a_correction(login, people, expedient):
    client = login(people["owner"])
    client.post(url("correction_request", expedient), {"description": "Falta el contracte signat."})
    response = client.post(
        url("correction_answer", expedient),
        {"text": "Aporta el contracte", "documents": [upload("contracte-signat.pdf", b"%PDF-1.7 signat")]},
    )
    assert response.status_code == 302
    expedient.refresh_from_db()
    assert expedient.state == State.IN_PROGRESS
    assert events(expedient)[-2:] == ["correction_answered", "document_added"]


def test_add_a_document_sniffs_its_type(login, people, expedient):
    client = login(people["owner"])
    response = client.post(
        url("document_add", expedient),
        {"title": "Plànol", "document_type": "altres", "file": upload("planol.pdf", PNG, "application/pdf")},
    )
    assert response.status_code == 302
    document = ExpedientDocument.objects.filter(expedient=expedient).order_by("sequence").last()
    assert document.title == "Plànol"
    assert document.content_type == "image/png"  # what the bytes say, not what the browser said
    assert events(expedient)[-1] == "document_added"


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused(login, people, expedient):
    before = ExpedientDocument.objects.count()
    response = login(people["owner"]).post(
        url("document_add", expedient),
        {"title": "Macro", "document_type": "altres", "file": upload("factura.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 400
    assert "format admès" in response.content.decode()
    assert ExpedientDocument.objects.count() == before


def test_add_a_note(login, people, expedient):
    login(people["owner"]).post(url("note_add", expedient), {"text": "Trucat a l'interessat; aporta el contracte."})
    note = ExpedientDocument.objects.filter(expedient=expedient).order_by("sequence").last()
    assert note.title == "Nota interna"
    assert note.content_type == "application/pdf"
    assert events(expedient)[-1] == "document_added"


def test_ask_another_department_and_it_answers(login, people, departments, expedient):
    response = login(people["owner"]).post(
        url("task_request", expedient),
        {
            "to_department": departments["helper"].pk,
            "kind": "report",
            "description": "Informe sobre l'habitatge",
            "business_days": 10,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(expedient=expedient)
    assert task.to_department == departments["helper"]
    assert events(expedient)[-1] == "task_requested"

    helper = login(people["helper"])
    tasks_page = helper.get(reverse("backoffice:tasks"))
    assert list(tasks_page.context["tasks"]) == [task]
    answer = helper.post(
        url("task_answer", expedient, task.pk),
        {"state": "done", "answer": "Habitatge adequat.", "report": upload("informe.pdf", b"%PDF-1.4 informe")},
    )
    assert answer.status_code == 302
    task.refresh_from_db()
    assert task.state == "done"
    assert task.answered_by == people["helper"]
    assert events(expedient)[-2:] == ["task_answered", "document_added"]


def test_only_the_asked_department_answers(login, people, departments, expedient):
    task = services.task_request(
        expedient=expedient,
        actor=people["owner"],
        to_department=departments["helper"],
        kind="task",
        description="Visita",
    )
    for who in ("owner", "outsider"):
        response = login(people[who]).post(url("task_answer", expedient, task.pk), {"state": "done", "answer": "Fet"})
        assert response.status_code in (403, 404)
    assert login(people["owner"]).post(url("task_answer", expedient, task.pk), {}).status_code == 403
    task.refresh_from_db()
    assert task.state == "pending"


def test_resolve_issues_a_document_and_registers_it_on_the_way_out(login, people, expedient):
    client = login(people["owner"])
    refused = client.post(url("resolve", expedient), {"title": "Resolució", "text": "S'estima la sol·licitud."})
    assert refused.status_code == 400  # the confirmation box is required
    response = client.post(
        url("resolve", expedient),
        {"title": "Resolució d'alta", "text": "S'estima la sol·licitud d'alta.", "confirm": "on"},
        follow=True,
    )
    expedient.refresh_from_db()
    assert expedient.state == State.RESOLVED
    outgoing = expedient.resolution_entry
    assert outgoing.register == Register.OUTGOING
    assert outgoing.reference.startswith("S-")
    assert outgoing.reference in response.content.decode()
    resolution = ExpedientDocument.objects.get(expedient=expedient, document_type="resolucio")
    assert resolution.csv
    assert resolution.issued_document.file.open("rb").read().startswith(b"%PDF-")
    assert "resolved" in events(expedient)


def test_resolving_while_a_correction_is_pending_is_refused_and_leaves_nothing(login, people, expedient):
    client = login(people["owner"])
    client.post(url("correction_request", expedient), {"description": "Falta el contracte signat."})
    response = client.post(url("resolve", expedient), {"title": "Resolució", "text": "Es denega.", "confirm": "on"})
    assert response.status_code == 400
    assert "Pendent d&#x27;esmena" in response.content.decode()
    assert not RegisterEntry.objects.filter(register=Register.OUTGOING).exists()
    assert not ExpedientDocument.objects.filter(expedient=expedient, document_type="resolucio").exists()


def test_archive_after_resolution(login, people, expedient):
    services.expedient_resolve(expedient=expedient, actor=people["owner"], resolution=pdf("resolucio"))
    client = login(people["owner"])
    assert client.post(url("archive", expedient), {"reason": "Fet"}).status_code == 400  # not confirmed
    client.post(url("archive", expedient), {"reason": "Fet", "confirm": "on"})
    expedient.refresh_from_db()
    assert expedient.state == State.ARCHIVED
    assert events(expedient)[-1] == "archived"
    assert login(people["owner"]).get(url("detail", expedient)).context["actions"] == []


ACTIONS = [
    ("assign", {}),
    ("start", {}),
    ("correction_request", {"description": "x"}),
    ("correction_answer", {"text": "x"}),
    ("document_add", {"title": "x", "document_type": "altres"}),
    ("note_add", {"text": "x"}),
    ("task_request", {"kind": "task", "description": "x", "business_days": 5}),
    ("resolve", {"title": "x", "text": "x", "confirm": "on"}),
    ("archive", {"confirm": "on"}),
]


@pytest.mark.parametrize(("action", "data"), ACTIONS)
@pytest.mark.parametrize("who", ["outsider", "helper"])
def test_another_department_cannot_act(login, people, departments, expedient, action, data, who):
    services.task_request(
        expedient=expedient, actor=people["owner"], to_department=departments["helper"], kind="task", description="x"
    )
    before = events(expedient)
    client = login(people[who])
    if action == "assign":
        data = {"assignee": people[who].pk}
    assert client.get(url(action, expedient)).status_code == 403
    assert client.post(url(action, expedient), data).status_code == 403
    assert events(expedient) == before
