"""Who sees and who acts: the owner department acts, a helping department sees and answers its task only."""

import pytest

from tests.tramits.expedients.factories import ExpedientFactory, UserFactory, pdf
from tramits.expedients import services
from tramits.expedients.models import Expedient, InterestedParty
from tramits.expedients.selectors import (
    expedient_can_act,
    expedient_can_view,
    expedient_is_citizens,
    expedient_tasks_visible,
    expedients_inbox,
    expedients_of_citizen,
    expedients_visible,
    task_can_answer,
    tasks_inbox,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture
def shared(people, departments):
    """An expedient of the owner department with a report asked of the helper department."""
    expedient = ExpedientFactory(department=departments["owner"], citizen=people["citizen"], in_progress=True)
    task = services.task_request(
        expedient=expedient,
        actor=people["owner"],
        to_department=departments["helper"],
        kind="report",
        description="Informe tècnic de l'habitatge",
    )
    return expedient, task


@pytest.mark.parametrize(
    ("who", "sees", "acts", "answers"),
    [
        ("owner", True, True, False),
        ("owner_colleague", True, True, False),
        ("helper", True, False, True),
        ("outsider", False, False, False),
        ("citizen", False, False, False),
    ],
)
def test_access_matrix(people, shared, who, sees, acts, answers):
    expedient, task = shared
    user = people[who]
    assert expedient_can_view(user=user, expedient=expedient) is sees
    assert list(expedients_visible(user=user)) == ([expedient] if sees else [])
    assert expedient_can_act(user=user, expedient=expedient) is acts
    assert task_can_answer(user=user, task=task) is answers
    assert list(tasks_inbox(user=user)) == ([task] if answers else [])


def test_helper_sees_only_its_own_task(people, departments, shared):
    expedient, task = shared
    other_task = services.task_request(
        expedient=expedient,
        actor=people["owner"],
        to_department=departments["outsider"],
        kind="task",
        description="Comprovar els tributs",
    )
    assert list(expedient_tasks_visible(user=people["owner"], expedient=expedient)) == [task, other_task]
    assert list(expedient_tasks_visible(user=people["helper"], expedient=expedient)) == [task]
    assert list(expedient_tasks_visible(user=people["outsider"], expedient=expedient)) == [other_task]
    assert list(expedients_visible(user=people["outsider"])) == [expedient]


@pytest.mark.parametrize("who", ["helper", "outsider"])
def test_only_the_owner_department_acts(people, departments, shared, who):
    expedient, _task = shared
    user = people[who]
    attempts = [
        lambda: services.expedient_transition(expedient=expedient, to_state="resolt", actor=user),
        lambda: services.expedient_assign(expedient=expedient, assignee=None, actor=user),
        lambda: services.correction_request(expedient=expedient, actor=user, description="Falta"),
        lambda: services.expedient_suspend(expedient=expedient, actor=user, reason="Pausa"),
        lambda: services.document_add(
            expedient=expedient, actor=user, title="Nota", document_type="altres", upload=pdf("nota")
        ),
        lambda: services.task_request(
            expedient=expedient, actor=user, to_department=departments["outsider"], kind="task", description="Fes-ho"
        ),
        lambda: services.expedient_resolve(expedient=expedient, actor=user, resolution=pdf("resolucio")),
    ]
    for attempt in attempts:
        with pytest.raises(services.ExpedientPermissionDenied):
            attempt()
    assert Expedient.objects.get(pk=expedient.pk).state == "en_tramitacio"
    assert not expedient.documents.exclude(document_type="sollicitud").exists()


def test_the_asked_department_answers_its_task_and_adds_its_report(people, departments, shared):
    expedient, task = shared
    with pytest.raises(services.ExpedientPermissionDenied):
        services.task_answer(task=task, actor=people["owner"], answer="No és nostre")
    with pytest.raises(services.ExpedientPermissionDenied):
        services.task_answer(task=task, actor=people["outsider"], answer="Tampoc")
    services.task_answer(task=task, actor=people["helper"], answer="Favorable", report=pdf("informe"))
    task.refresh_from_db()
    assert (task.state, task.answer, task.answered_by) == ("done", "Favorable", people["helper"])
    report = expedient.documents.get(document_type="informe")
    assert (report.task, report.department, report.organ) == (task, departments["helper"], departments["helper"].dir3)
    with pytest.raises(services.TaskNotPending):
        services.task_answer(task=task, actor=people["helper"], answer="Un altre cop")
    # A further report on the same task, and nothing of other kinds.
    services.document_add(
        expedient=expedient,
        actor=people["helper"],
        title="Annex",
        document_type="informe",
        upload=pdf("annex"),
        task=task,
    )
    with pytest.raises(services.ExpedientInvalid):
        services.document_add(
            expedient=expedient,
            actor=people["helper"],
            title="Res",
            document_type="resolucio",
            upload=pdf("r"),
            task=task,
        )


def test_inbox_is_empty_for_someone_outside_the_department(people, departments, shared):
    expedient, _task = shared
    assert list(expedients_inbox(user=people["owner"], department=departments["owner"], box="open")) == [expedient]
    assert list(expedients_inbox(user=people["helper"], department=departments["owner"], box="open")) == []
    assert list(expedients_inbox(user=people["outsider"], department=departments["owner"], box="all")) == []


def test_citizens_see_what_they_filed_or_are_party_to(people, departments):
    citizen, other = people["citizen"], people["other_citizen"]
    filed = ExpedientFactory(department=departments["owner"], citizen=citizen)
    represented = ExpedientFactory(department=departments["owner"], citizen=None)
    InterestedParty.objects.filter(expedient=represented).update(user=citizen)
    someone_elses = ExpedientFactory(department=departments["owner"], citizen=other)
    assert set(expedients_of_citizen(user=citizen)) == {filed, represented}
    assert list(expedients_of_citizen(user=other)) == [someone_elses]
    assert list(expedients_of_citizen(user=UserFactory())) == []
    assert expedient_is_citizens(user=citizen, expedient=represented)
    assert not expedient_is_citizens(user=citizen, expedient=someone_elses)


def test_a_citizen_answers_only_their_own_correction_request(people, departments):
    expedient = ExpedientFactory(department=departments["owner"], citizen=people["citizen"], pending_correction=True)
    correction = expedient.correction_requests.get()
    with pytest.raises(services.ExpedientPermissionDenied):
        services.correction_answer(correction=correction, actor=people["other_citizen"], text="No és meu")
    with pytest.raises(services.ExpedientPermissionDenied):
        services.correction_answer(correction=correction, actor=people["helper"], text="Tampoc")
    services.correction_answer(correction=correction, actor=people["citizen"], documents=[pdf("contracte")])
    document = expedient.documents.get(correction=correction)
    assert (document.origin, document.document_type, document.added_by) == ("citizen", "allegacio", people["citizen"])
    with pytest.raises(services.CorrectionNotPending):
        services.correction_answer(correction=correction, actor=people["citizen"], text="Un altre cop")
