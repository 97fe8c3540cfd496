"""The inbox: each department sees its own expedients, in boxes and with filters, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from tests.tramits.expedients.factories import ExpedientFactory, dni
from tramits.expedients import services
from tramits.expedients.services import Interested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]

JAUME_DNI = dni(44_556_677)


@pytest.fixture
def spread(people, departments):
    """Owner department: one in progress and mine (due 10 June), one new and one taken (due 10 April); one elsewhere."""
    owner = departments["owner"]
    with freeze_time("2026-03-10 09:00:00+00:00"):
        mine = ExpedientFactory(department=owner, in_progress=True)
        services.expedient_assign(expedient=mine, assignee=people["owner"], actor=people["owner"])
        new = ExpedientFactory(
            department=owner,
            procedure_code="GEN-QUEIXES",
            subject="Queixa pel soroll",
            interested=[Interested(name="Jaume Bosch Vidal", document_number=JAUME_DNI)],
        )
        taken = ExpedientFactory(department=owner, procedure_code="GEN-QUEIXES")
        services.expedient_assign(expedient=taken, assignee=people["owner_colleague"], actor=people["owner"])
        elsewhere = ExpedientFactory(department=departments["helper"], procedure_code="GEN-QUEIXES")
    return {"mine": mine, "new": new, "taken": taken, "elsewhere": elsewhere}


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {row["expedient"].reference for row in response.context["rows"]}


def refs(spread, *names) -> set[str]:
    return {spread[name].reference for name in names}


@freeze_time("2026-04-07 10:00:00+00:00")
def test_boxes_show_only_the_department_s_expedients(login, people, spread):
    client = login(people["owner"])
    url = reverse("backoffice:inbox")
    assert listed(client.get(url, {"box": "all"})) == refs(spread, "mine", "new", "taken")
    assert listed(client.get(url, {"box": "new"})) == refs(spread, "new")
    assert listed(client.get(url, {"box": "mine"})) == refs(spread, "mine")
    # From Tuesday 7 April, 10 April is three business days away: due soon, not yet overdue.
    assert listed(client.get(url, {"box": "due_soon"})) == refs(spread, "new", "taken")
    assert listed(client.get(url, {"box": "overdue"})) == set()
    assert listed(client.get(url)) == refs(spread, "new")  # "new" is the default box
    page = client.get(url, {"box": "due_soon"}).content.decode()
    assert "queden 3 dies hàbils" in page
    assert spread["elsewhere"].reference not in page


@freeze_time("2026-04-14 10:00:00+00:00")
def test_overdue_box_and_days_past(login, people, spread):
    response = login(people["owner"]).get(reverse("backoffice:inbox"), {"box": "overdue"})
    assert listed(response) == refs(spread, "new", "taken")
    # 10 April (Friday) to 14 April (Tuesday): the 13th and 14th are business days.
    assert "vençut fa 2 dies hàbils" in response.content.decode()


@freeze_time("2026-04-07 10:00:00+00:00")
def test_another_department_sees_none_of_them_even_when_it_asks(login, people, departments, spread):
    client = login(people["outsider"])
    response = client.get(reverse("backoffice:inbox"), {"box": "all", "department": departments["owner"].pk})
    assert response.context["department"] == departments["outsider"]
    assert listed(response) == set()
    helper = login(people["helper"]).get(reverse("backoffice:inbox"), {"box": "all"})
    assert listed(helper) == refs(spread, "elsewhere")


@freeze_time("2026-04-07 10:00:00+00:00")
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "en_tramitacio"}, {"mine"}),
        ({"state": "iniciat"}, {"new", "taken"}),
        ({"procedure": "GEN-QUEIXES"}, {"new", "taken"}),
        ({"procedure": "PADRO-ALTA"}, {"mine"}),
        ({"due_before": "2026-05-01"}, {"new", "taken"}),
        ({"q": JAUME_DNI}, {"new"}),
        ({"q": f"{JAUME_DNI[:2]}.{JAUME_DNI[2:5]}.{JAUME_DNI[5:8]}-{JAUME_DNI[8]}"}, {"new"}),
        ({"q": "bosch"}, {"new"}),
        ({"q": "Jaume Bosch"}, {"new"}),
    ],
)
def test_filters_and_search(login, people, spread, filters, expected):
    response = login(people["owner"]).get(reverse("backoffice:inbox"), {"box": "all", **filters})
    assert listed(response) == refs(spread, *expected)


@freeze_time("2026-04-07 10:00:00+00:00")
def test_search_by_reference_and_a_bad_date_is_reported(login, people, spread):
    client = login(people["owner"])
    assert listed(client.get(reverse("backoffice:inbox"), {"box": "all", "q": spread["taken"].reference})) == refs(
        spread, "taken"
    )
    response = client.get(reverse("backoffice:inbox"), {"box": "all", "due_before": "31/02/2026"})
    assert "Hi ha un problema" in response.content.decode()


@freeze_time("2026-04-07 10:00:00+00:00")
def test_department_switcher_for_someone_in_two_departments(login, people, departments, spread):
    departments["helper"].members.add(people["owner"])
    client = login(people["owner"])
    first = client.get(reverse("backoffice:inbox"), {"box": "all"})
    assert 'name="department"' in first.content.decode()
    assert first.context["department"] == departments["owner"]  # first by name: "Departament PADRO"
    switched = client.get(reverse("backoffice:inbox"), {"box": "all", "department": departments["helper"].pk})
    assert listed(switched) == refs(spread, "elsewhere")


@freeze_time("2026-04-07 10:00:00+00:00")
def test_the_page_takes_the_same_number_of_queries_with_more_rows(
    login, people, departments, spread, django_assert_max_num_queries
):
    client = login(people["owner"])
    url = reverse("backoffice:inbox")
    client.get(url, {"box": "all"})
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(url, {"box": "all"}))) == 3
    for _number in range(9):
        expedient = ExpedientFactory(department=departments["owner"], procedure_code="GEN-QUEIXES")
        services.expedient_assign(expedient=expedient, assignee=people["owner_colleague"], actor=people["owner"])
    with django_assert_max_num_queries(len(few)):
        assert len(listed(client.get(url, {"box": "all"}))) == 12


def test_pagination(login, people, departments, calendar_seeded):
    for _number in range(27):
        ExpedientFactory(department=departments["owner"], procedure_code="GEN-QUEIXES")
    client = login(people["owner"])
    first = client.get(reverse("backoffice:inbox"), {"box": "all"})
    assert len(first.context["rows"]) == 25
    assert "Pàgina 1 de 2" in first.content.decode()
    second = client.get(reverse("backoffice:inbox"), {"box": "all", "p": 2})
    assert len(second.context["rows"]) == 2


@freeze_time("2026-04-14 10:00:00+00:00")
def test_menu_counts_the_overdue(login, people, spread):
    response = login(people["owner"]).get(reverse("wagtailadmin_home"))
    # The sidebar's labels travel as JSON, with non-ASCII letters escaped.
    assert "Expedients (2 ven\\u00e7uts)" in response.content.decode()


def test_someone_without_a_department_is_told_so(login, case_handlers):
    from tests.tramits.expedients.factories import UserFactory

    lonely = UserFactory()
    lonely.groups.add(case_handlers)
    response = login(lonely).get(reverse("backoffice:inbox"))
    assert response.status_code == 200
    assert "No sou membre de cap departament" in response.content.decode()
