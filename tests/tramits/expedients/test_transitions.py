import pytest
from django.db import IntegrityError, transaction

from tests.tramits.expedients.factories import ExpedientFactory, lifecycle_step
from tramits.expedients.models import ALLOWED_TRANSITIONS, Event, Expedient, State
from tramits.expedients.services import TransitionNotAllowed, expedient_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]

TRAITS = {
    State.INITIATED: {},
    State.IN_PROGRESS: {"in_progress": True},
    State.PENDING_CORRECTION: {"pending_correction": True},
    State.SUSPENDED: {"suspended": True},
    State.RESOLVED: {"resolved": True},
    State.ARCHIVED: {"archived": True},
}

EXPECTED_ALLOWED = {
    ("iniciat", "en_tramitacio"),
    ("iniciat", "pendent_esmena"),
    ("iniciat", "suspes"),
    ("iniciat", "resolt"),
    ("en_tramitacio", "pendent_esmena"),
    ("en_tramitacio", "suspes"),
    ("en_tramitacio", "resolt"),
    ("pendent_esmena", "en_tramitacio"),
    ("suspes", "en_tramitacio"),
    ("resolt", "arxivat"),
}


def test_the_table_is_the_documented_one():
    table = {(source, target) for source, targets in ALLOWED_TRANSITIONS.items() for target in targets}
    assert table == EXPECTED_ALLOWED
    assert set(ALLOWED_TRANSITIONS) == set(State.values)


@pytest.mark.parametrize("to_state", State.values)
@pytest.mark.parametrize("from_state", State.values)
def test_each_transition_is_allowed_only_if_the_table_says_so(from_state, to_state):
    expedient = ExpedientFactory(**TRAITS[from_state])
    assert expedient.state == from_state
    events_before = Event.objects.filter(expedient=expedient).count()
    if (from_state, to_state) in EXPECTED_ALLOWED:
        lifecycle_step(expedient, to_state)
        assert Expedient.objects.get(pk=expedient.pk).state == to_state
        assert Event.objects.filter(expedient=expedient).count() > events_before
    else:
        with pytest.raises(TransitionNotAllowed):
            lifecycle_step(expedient, to_state)
        assert Expedient.objects.get(pk=expedient.pk).state == from_state
        assert Event.objects.filter(expedient=expedient).count() == events_before


@pytest.mark.parametrize("to_state", ["pendent_esmena", "suspes", "resolt", "arxivat"])
def test_states_with_their_own_records_are_not_reached_by_a_plain_transition(to_state):
    expedient = ExpedientFactory(in_progress=True)
    with pytest.raises(TransitionNotAllowed) as error:
        expedient_transition(expedient=expedient, to_state=to_state, actor=None)
    assert error.value.to_state == to_state
    assert Expedient.objects.get(pk=expedient.pk).state == "en_tramitacio"


def test_plain_transition_writes_who_and_why():
    expedient = ExpedientFactory()
    expedient_transition(expedient=expedient, to_state="en_tramitacio", actor=None, reason="Comencem")
    assert expedient.state == "en_tramitacio"  # the caller's instance follows the row
    event = Event.objects.filter(expedient=expedient).latest("pk")
    assert (event.kind, event.description, event.params) == (
        "state_changed",
        "Comencem",
        {"from": "iniciat", "to": "en_tramitacio"},
    )


def test_the_database_refuses_an_unknown_state():
    expedient = ExpedientFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Expedient.objects.filter(pk=expedient.pk).update(state="perdut")


def test_unknown_target_state_is_refused():
    expedient = ExpedientFactory()
    with pytest.raises(TransitionNotAllowed):
        expedient_transition(expedient=expedient, to_state="perdut", actor=None)
