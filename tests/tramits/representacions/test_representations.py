import datetime as dt

import pytest
from freezegun import freeze_time

from tests.tramits.carpeta.fixtures import (
    citizen_make,
    expedient_for,
    expedient_of_person,
    representation_accepted,
)
from tests.tramits.expedients.factories import RegisterEntryFactory, UserFactory, dni
from tramits.expedients.models import Event
from tramits.expedients.services import Interested, expedient_open
from tramits.representacions.models import RepresentationScope
from tramits.representacions.selectors import expedient_visible, expedients_for, represented_for
from tramits.representacions.services import (
    RepresentationInvalid,
    RepresentationNotLive,
    RepresentationNotPending,
    RepresentationPermissionDenied,
    representation_accept,
    representation_expedient_attach,
    representation_reject,
    representation_request,
    representation_revoke,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]

REPRESENTED = dni(40_000_001)


def _request(representative, **extra):
    return representation_request(
        representative=representative,
        represented_name=extra.pop("represented_name", "Pere Roca Puig"),
        represented_document_number=extra.pop("represented_document_number", REPRESENTED),
        **extra,
    )


def test_a_request_is_recorded_normalised_and_linked_to_the_persons_account(citizen):
    person = citizen_make(40_000_001)
    representation = _request(citizen, represented_document_number=REPRESENTED[:4] + "-" + REPRESENTED[4:].lower())
    assert representation.state == "requested"
    assert representation.represented_document_number == REPRESENTED
    assert representation.represented_document_type == "dni"
    assert representation.represented_user == person
    assert (representation.scope, representation.procedure_codes) == ("all", [])
    assert not represented_for(user=citizen).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"represented_document_number": "12345678A"}, "represented_document_number"),
        ({"represented_name": "  "}, "represented_name"),
        ({"scope": "procedures"}, "procedure_codes"),
        ({"scope": "procedures", "procedure_codes": ["NO-EXISTEIX"]}, "procedure_codes"),
        ({"scope": "everything"}, "scope"),
        ({"valid_from": dt.date(2026, 5, 1), "valid_until": dt.date(2026, 4, 1)}, "valid_until"),
    ],
)
def test_bad_requests_are_refused_with_a_message(citizen, extra, field):
    with pytest.raises(RepresentationInvalid) as error:
        _request(citizen, **extra)
    assert field in error.value.message_dict


def test_nobody_represents_themselves_and_there_is_one_live_request_per_person(citizen):
    with pytest.raises(RepresentationInvalid):
        _request(citizen, represented_document_number=citizen.document_number)
    _request(citizen)
    with pytest.raises(RepresentationInvalid):
        _request(citizen)


def test_staff_accept_and_the_event_is_on_the_gen_representacio_expedient(citizen, department, staff):
    expedient = expedient_for(citizen, department, procedure_code="GEN-REPRESENTACIO")
    representation = _request(citizen)
    representation_expedient_attach(representation=representation, expedient=expedient)
    representation_accept(representation=representation, actor=staff, valid_until=dt.date(2030, 1, 1))
    assert representation.state == "accepted"
    assert (representation.decided_by, representation.valid_until) == (staff, dt.date(2030, 1, 1))
    event = Event.objects.get(expedient=expedient, kind="representation_accepted")
    assert event.actor == staff
    assert REPRESENTED not in str(event.params)
    assert list(represented_for(user=citizen)) == [representation]
    with pytest.raises(RepresentationNotPending):
        representation_reject(representation=representation, actor=staff, reason="Tard")


def test_only_staff_decide(citizen, other_citizen):
    representation = _request(citizen)
    with pytest.raises(RepresentationPermissionDenied):
        representation_accept(representation=representation, actor=citizen)
    with pytest.raises(RepresentationPermissionDenied):
        representation_reject(representation=representation, actor=other_citizen, reason="No")


def test_a_rejection_needs_a_reason(citizen, staff):
    representation = _request(citizen)
    with pytest.raises(RepresentationInvalid):
        representation_reject(representation=representation, actor=staff, reason=" ")
    representation_reject(representation=representation, actor=staff, reason="Falta l'autorització signada.")
    assert representation.state == "rejected"
    assert not represented_for(user=citizen).exists()
    _request(citizen)  # a new request is possible after a rejection


def test_the_representative_or_the_represented_person_revoke(citizen, other_citizen):
    person = citizen_make(40_000_001)
    first = representation_accepted(citizen, document_number=REPRESENTED)
    with pytest.raises(RepresentationPermissionDenied):
        representation_revoke(representation=first, actor=other_citizen)
    representation_revoke(representation=first, actor=person)
    assert (first.state, first.revoked_by) == ("revoked", person)
    with pytest.raises(RepresentationNotLive):
        representation_revoke(representation=first, actor=citizen)
    second = representation_accepted(citizen, document_number=REPRESENTED)
    representation_revoke(representation=second, actor=citizen)
    assert not represented_for(user=citizen).exists()


def test_the_representative_sees_the_represented_persons_expedients_while_in_force(citizen, department):
    theirs = expedient_of_person(REPRESENTED, department)
    stranger = expedient_of_person(dni(40_000_999), department)
    own = expedient_for(citizen, department)
    assert set(expedients_for(user=citizen)) == {own}
    with freeze_time("2026-04-01 10:00:00+00:00"):
        representation = representation_accepted(
            citizen, document_number=REPRESENTED, valid_from=dt.date(2026, 4, 1), valid_until=dt.date(2026, 4, 30)
        )
        rows = {expedient.pk: expedient for expedient in expedients_for(user=citizen)}
        assert set(rows) == {own.pk, theirs.pk}
        assert rows[own.pk].is_own and not rows[theirs.pk].is_own
        assert rows[theirs.pk].represented_document == REPRESENTED
        assert expedient_visible(user=citizen, expedient=theirs)
        assert not expedient_visible(user=citizen, expedient=stranger)
    with freeze_time("2026-05-01 10:00:00+00:00"):
        assert set(expedients_for(user=citizen)) == {own}
    with freeze_time("2026-04-10 10:00:00+00:00"):
        representation_revoke(representation=representation, actor=citizen)
        assert set(expedients_for(user=citizen)) == {own}


def test_a_representation_for_some_procedures_shows_only_those(citizen, department):
    alta = expedient_of_person(REPRESENTED, department, procedure_code="PADRO-ALTA")
    expedient_of_person(REPRESENTED, department, procedure_code="PADRO-BAIXA")
    representation_accepted(
        citizen, document_number=REPRESENTED, scope=RepresentationScope.PROCEDURES, procedure_codes=["padro-alta"]
    )
    assert list(expedients_for(user=citizen)) == [alta]


def test_the_represented_persons_role_as_someone_elses_representative_is_not_shared(citizen, department):
    third = UserFactory()
    entry = RegisterEntryFactory(unit=department, applicant_document_number=dni(40_000_500))
    expedient_open(
        entry=entry,
        department=department,
        procedure_code="PADRO-ALTA",
        interested=[
            Interested(name="Tercera Persona", document_number=dni(40_000_500), user=third),
            Interested(name="Pere Roca Puig", document_number=REPRESENTED, role="representative"),
        ],
    )
    representation_accepted(citizen, document_number=REPRESENTED)
    assert not expedients_for(user=citizen).exists()
