import pytest
from django.db import transaction

from tests.tramits.expedients.factories import ExpedientFactory, pdf
from tramits.expedients import services
from tramits.expedients.models import CorrectionRequest, Event, Expedient, Suspension
from tramits.expedients.selectors import expedient_timeline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


class Boom(Exception):
    pass


def test_every_action_leaves_its_event_in_order(people, departments):
    owner, helper = people["owner"], people["helper"]
    expedient = ExpedientFactory(department=departments["owner"], citizen=people["citizen"])
    services.expedient_assign(expedient=expedient, assignee=people["owner_colleague"], actor=owner)
    services.expedient_transition(expedient=expedient, to_state="en_tramitacio", actor=owner)
    correction = services.correction_request(expedient=expedient, actor=owner, description="Falta el contracte")
    services.correction_answer(correction=correction, actor=people["citizen"], documents=[pdf("contracte")])
    services.expedient_suspend(expedient=expedient, actor=owner, reason="Informe preceptiu")
    services.expedient_resume(expedient=expedient, actor=owner)
    task = services.task_request(
        expedient=expedient, actor=owner, to_department=departments["helper"], kind="report", description="Informe"
    )
    services.task_answer(task=task, actor=helper, answer="Favorable", report=pdf("informe"))
    services.document_add(expedient=expedient, actor=owner, title="Nota", document_type="altres", upload=pdf("nota"))
    services.expedient_resolve(expedient=expedient, actor=owner, title="Resolució", resolution=pdf("resolucio"))
    services.expedient_archive(expedient=expedient, actor=owner)

    timeline = list(expedient_timeline(expedient=expedient))
    assert [event.kind for event in timeline] == [
        "opened",
        "assigned",
        "state_changed",
        "correction_requested",
        "notification_available",
        "correction_answered",
        "document_added",
        "suspended",
        "resumed",
        "task_requested",
        "task_answered",
        "document_added",
        "document_added",
        "document_added",
        "resolved",
        "notification_available",
        "archived",
    ]
    by_kind = {event.kind: event for event in timeline}
    assert by_kind["assigned"].actor == owner
    assert by_kind["correction_answered"].actor == people["citizen"]
    assert by_kind["correction_answered"].department is None
    assert by_kind["task_answered"].department == departments["helper"]
    assert by_kind["opened"].actor is None  # the system opened it
    assert [event.created_at for event in timeline] == sorted(event.created_at for event in timeline)


def test_a_failing_action_leaves_no_event_and_no_change(monkeypatch):
    expedient = ExpedientFactory(in_progress=True)
    before = Event.objects.count()

    def fail(*args, **kwargs):
        raise Boom

    # The requirement document is written after the event: its failure must take the event with it.
    monkeypatch.setattr(services, "_document_insert", fail)
    with pytest.raises(Boom):
        services.correction_request(
            expedient=expedient, actor=None, description="Falta el contracte", document=pdf("requeriment")
        )
    assert Event.objects.count() == before
    assert not CorrectionRequest.objects.exists()
    assert not Suspension.objects.exists()
    assert Expedient.objects.get(pk=expedient.pk).state == "en_tramitacio"


def test_events_roll_back_with_the_callers_transaction():
    expedient = ExpedientFactory()
    with pytest.raises(Boom), transaction.atomic():
        services.expedient_transition(expedient=expedient, to_state="en_tramitacio", actor=None)
        assert Event.objects.filter(expedient=expedient, kind="state_changed").exists()
        raise Boom
    assert not Event.objects.filter(expedient=expedient, kind="state_changed").exists()


def test_a_refused_action_writes_no_event(people, departments):
    expedient = ExpedientFactory(department=departments["owner"])
    before = Event.objects.count()
    with pytest.raises(services.ExpedientPermissionDenied):
        services.expedient_transition(expedient=expedient, to_state="en_tramitacio", actor=people["outsider"])
    with pytest.raises(services.ExpedientInvalid):
        services.task_request(
            expedient=expedient,
            actor=people["owner"],
            to_department=departments["owner"],
            kind="report",
            description="A mi mateix",
        )
    assert Event.objects.count() == before


def test_no_personal_data_in_event_params():
    expedient = ExpedientFactory()
    party = expedient.interested_parties.get()
    for event in Event.objects.filter(expedient=expedient):
        assert party.document_number not in str(event.params)
        assert party.name not in str(event.params)


def test_assignee_must_belong_to_the_owner_department(people, departments):
    expedient = ExpedientFactory(department=departments["owner"])
    with pytest.raises(services.ExpedientInvalid):
        services.expedient_assign(expedient=expedient, assignee=people["helper"], actor=people["owner"])
    assert Expedient.objects.get(pk=expedient.pk).assigned_to is None
