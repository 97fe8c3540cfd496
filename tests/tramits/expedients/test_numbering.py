import pytest
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from tests.tramits.expedients.factories import DepartmentFactory, ExpedientFactory, RegisterEntryFactory, dni, pdf
from tramits.expedients.models import Event, Expedient, ExpedientCounter, ExpedientDocument, InterestedParty
from tramits.expedients.services import ExpedientInvalid, Interested, expedient_open
from tramits.registre.models import RegisterEntry

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_numbers_run_from_one_and_the_reference_says_the_year():
    with freeze_time("2026-03-10 09:00:00+00:00", tick=True):
        expedients = [ExpedientFactory() for _ in range(3)]
    assert [expedient.number for expedient in expedients] == [1, 2, 3]
    assert [expedient.reference for expedient in expedients] == [
        "EXP-2026-000001",
        "EXP-2026-000002",
        "EXP-2026-000003",
    ]
    assert ExpedientCounter.objects.get(year=2026).next_number == 4
    assert expedients[0].opened_at < expedients[1].opened_at < expedients[2].opened_at


def test_year_turns_at_madrid_midnight_not_utc():
    with freeze_time("2026-12-31 22:30:00+00:00"):  # 23:30 in Madrid
        last = ExpedientFactory()
    with freeze_time("2026-12-31 23:30:00+00:00"):  # 00:30 on 1 January in Madrid
        first = ExpedientFactory()
        second = ExpedientFactory()
    assert last.reference == "EXP-2026-000001"
    assert (first.reference, second.reference) == ("EXP-2027-000001", "EXP-2027-000002")


def test_a_rolled_back_opening_gives_its_number_back():
    ExpedientFactory()
    department = DepartmentFactory()
    with pytest.raises(Boom), transaction.atomic():
        entry = RegisterEntryFactory(unit=department)
        expedient_open(entry=entry, department=department, procedure_code="PADRO-ALTA", subject="Alta")
        raise Boom
    after = ExpedientFactory()
    assert after.number == 2
    assert list(Expedient.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_opens_inside_the_callers_transaction_together_with_the_entry():
    department = DepartmentFactory()
    with transaction.atomic():
        entry = RegisterEntryFactory(unit=department)
        expedient = expedient_open(entry=entry, department=department, procedure_code="PADRO-ALTA", subject="Alta")
        assert Expedient.objects.filter(opening_entry=entry).exists()
    assert expedient.opening_entry_id == entry.pk
    with pytest.raises(Boom), transaction.atomic():
        entry = RegisterEntryFactory(unit=department)
        expedient_open(entry=entry, department=department, procedure_code="PADRO-ALTA", subject="Alta")
        raise Boom
    assert RegisterEntry.objects.count() == 1
    assert Expedient.objects.count() == 1


def test_the_same_entry_opens_one_expedient_only():
    expedient = ExpedientFactory()
    again = expedient_open(
        entry=expedient.opening_entry, department=expedient.department, procedure_code="PADRO-ALTA", subject="Alta"
    )
    assert again.pk == expedient.pk
    assert Expedient.objects.count() == 1
    assert ExpedientCounter.objects.get().next_number == 2


def test_unique_number_is_the_database_backstop():
    expedient = ExpedientFactory()
    other = ExpedientFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Expedient.objects.filter(pk=other.pk).update(number=expedient.number)


def test_opening_records_parties_documents_and_the_term_from_the_entry():
    citizen_entry_documents = [pdf("sollicitud"), pdf("contracte")]
    department = DepartmentFactory()
    entry = RegisterEntryFactory(unit=department, attachments=citizen_entry_documents)
    expedient = expedient_open(
        entry=entry, department=department, procedure_code="padro-alta", subject="  Alta   al padró "
    )
    assert expedient.procedure_code == "PADRO-ALTA"
    assert expedient.subject == "Alta al padró"
    assert (expedient.term_unit, expedient.term_value) == ("months", 3)
    party = InterestedParty.objects.get(expedient=expedient)
    assert (party.name, party.role, party.document_number) == (
        "Maria Puig Soler",
        "applicant",
        entry.applicant_document_number,
    )
    documents = list(ExpedientDocument.objects.filter(expedient=expedient))
    assert [document.sequence for document in documents] == [1, 2]
    assert [document.sha256 for document in documents] == [a.sha256 for a in entry.attachments.order_by("position")]
    assert all(document.origin == "citizen" and document.register_entry_id == entry.pk for document in documents)
    assert list(Event.objects.filter(expedient=expedient).values_list("kind", flat=True)) == ["opened"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"procedure_code": "NO-EXISTEIX"}, "procedure_code"),
        ({"interested": [Interested(name="Maria", document_number="12345678A")]}, "interested"),
        ({"interested": []}, "interested"),
        ({"subject": "x" * 501}, "subject"),
    ],
)
def test_bad_input_says_why_and_changes_nothing(changes, field):
    department = DepartmentFactory()
    entry = RegisterEntryFactory(unit=department)
    arguments = {"entry": entry, "department": department, "procedure_code": "PADRO-ALTA", "subject": "Alta"}
    with pytest.raises(ExpedientInvalid) as error:
        expedient_open(**(arguments | changes))
    assert field in error.value.message_dict
    assert not Expedient.objects.exists()
    assert not Event.objects.exists()
    assert not ExpedientCounter.objects.exists()


def test_interested_parties_are_normalised_and_linked_to_accounts(people):
    department = DepartmentFactory()
    entry = RegisterEntryFactory(unit=department)
    number = dni(44_556_677)
    expedient = expedient_open(
        entry=entry,
        department=department,
        procedure_code="PADRO-ALTA",
        subject="Alta",
        citizen=people["citizen"],
        interested=[
            Interested(name="Maria Puig", document_number=f"{number[:2]}.{number[2:5]}.{number[5:8]}-{number[8]}"),
            Interested(
                name="Gestoria Bonet", document_number="X1234567L", role="representative", user=people["citizen"]
            ),
        ],
    )
    parties = list(expedient.interested_parties.order_by("pk").values_list("document_number", "document_type", "role"))
    assert parties == [(number, "dni", "applicant"), ("X1234567L", "nie", "representative")]


def test_service_is_keyword_only():
    with pytest.raises(TypeError):
        expedient_open(None, None, "PADRO-ALTA", "Alta")  # type: ignore[misc]
