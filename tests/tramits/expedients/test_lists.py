import datetime as dt

import pytest
from freezegun import freeze_time

from tests.tramits.expedients.factories import ExpedientFactory, dni
from tramits.expedients import services
from tramits.expedients.models import Expedient
from tramits.expedients.selectors import (
    corrections_expired,
    expedients_due_soon,
    expedients_filter,
    expedients_inbox,
    expedients_overdue,
    expedients_visible,
)
from tramits.expedients.services import Interested

D = dt.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture
def spread(departments):
    """Expedients due on 10 June (PADRO-ALTA from 10 March) and 10 April (GEN-QUEIXES), in several states."""
    owner = departments["owner"]
    with freeze_time("2026-03-10 09:00:00+00:00"):
        return {
            "june": ExpedientFactory(department=owner, in_progress=True),
            "april": ExpedientFactory(department=owner, procedure_code="GEN-QUEIXES"),
            "suspended": ExpedientFactory(department=owner, procedure_code="GEN-QUEIXES", suspended=True),
            "resolved": ExpedientFactory(department=owner, procedure_code="GEN-QUEIXES", resolved=True),
            "elsewhere": ExpedientFactory(department=departments["helper"], procedure_code="GEN-QUEIXES"),
            "no_term": ExpedientFactory(department=owner, procedure_code="GEN-APORTACIO"),
        }


def test_overdue_means_past_due_and_still_open(spread):
    assert spread["april"].due_date == D(2026, 4, 10)
    assert set(expedients_overdue(today=D(2026, 4, 10))) == set()
    assert set(expedients_overdue(today=D(2026, 4, 11))) == {spread["april"], spread["elsewhere"]}
    assert set(expedients_overdue(today=D(2026, 6, 11))) == {spread["april"], spread["elsewhere"], spread["june"]}


def test_due_soon_counts_business_days_ahead(spread):
    # From 1 April, ten business days (Easter in between) reach 16 April.
    assert set(expedients_due_soon(today=D(2026, 4, 1), business_days=10)) == {spread["april"], spread["elsewhere"]}
    assert set(expedients_due_soon(today=D(2026, 3, 20), business_days=5)) == set()


def test_department_inboxes(people, departments, spread):
    owner, department = people["owner"], departments["owner"]
    services.expedient_assign(expedient=spread["june"], assignee=owner, actor=owner)

    def box(name, today=None):
        return set(expedients_inbox(user=owner, department=department, box=name, today=today or D(2026, 4, 13)))

    assert box("new") == {spread["april"], spread["no_term"]}
    assert box("mine") == {spread["june"]}
    assert box("overdue") == {spread["april"]}
    assert box("due_soon", today=D(2026, 6, 1)) == {spread["june"]}
    assert box("open") == {spread["june"], spread["april"], spread["suspended"], spread["no_term"]}
    assert len(box("all")) == 5
    with pytest.raises(ValueError, match="inbox"):
        box("bin")


def test_filters_and_text_search(people, departments):
    number = dni(55_443_322)
    expedient = ExpedientFactory(
        department=departments["owner"],
        interested=[Interested(name="Núria Martí-Pérez", document_number=number)],
    )
    ExpedientFactory(department=departments["owner"], procedure_code="GEN-QUEIXES")
    visible = expedients_visible(user=people["owner"])

    def search(text):
        return list(expedients_filter(queryset=visible, text=text))

    assert search(expedient.reference) == [expedient]
    assert search(expedient.reference.lower()) == [expedient]
    assert search("nuria marti") == [expedient]
    assert search("MARTÍ PÉREZ") == [expedient]
    assert search(f"{number[:2]}.{number[2:5]}.{number[5:8]}-{number[8]}") == [expedient]
    assert search("ningú") == []
    assert list(expedients_filter(queryset=visible, procedure_code="gen-queixes")) != [expedient]
    assert list(expedients_filter(queryset=visible, state="iniciat", procedure_code="PADRO-ALTA")) == [expedient]
    assert (
        expedients_filter(queryset=expedients_visible(user=people["outsider"]), text=expedient.reference).count() == 0
    )


def test_a_list_page_takes_one_query(departments, django_assert_num_queries):
    for _ in range(3):
        ExpedientFactory(department=departments["owner"])
    queryset = expedients_filter(queryset=Expedient.objects.filter(department=departments["owner"]), state="iniciat")
    with django_assert_num_queries(1):
        rows = [(expedient.reference, expedient.department.name, expedient.assigned_to) for expedient in queryset]
    assert len(rows) == 3


def test_expired_corrections_are_found_after_their_last_day(departments):
    with freeze_time("2026-04-01 08:00:00+00:00"):
        expedient = ExpedientFactory(department=departments["owner"], pending_correction=True)
    correction = expedient.correction_requests.get()
    assert correction.deadline == D(2026, 4, 17)
    assert list(corrections_expired(today=D(2026, 4, 17))) == []
    assert list(corrections_expired(today=D(2026, 4, 18))) == [correction]
