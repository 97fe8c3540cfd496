import datetime as dt

import pytest
from freezegun import freeze_time

from tests.tramits.expedients.factories import ExpedientFactory
from tramits.expedients.models import CorrectionRequest, Event
from tramits.expedients.tasks import corrections_expire

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture
def pending(departments):
    with freeze_time("2026-04-01 08:00:00+00:00"):
        late = ExpedientFactory(department=departments["owner"], pending_correction=True)
    with freeze_time("2026-04-14 08:00:00+00:00"):
        in_time = ExpedientFactory(department=departments["owner"], pending_correction=True)
    return late, in_time


def test_the_sweep_expires_only_what_is_past_its_deadline_and_is_safe_twice(pending):
    late, in_time = pending
    with freeze_time("2026-04-18 06:00:00+00:00"):
        assert corrections_expire() == 1
        assert corrections_expire() == 0
    assert CorrectionRequest.objects.get(expedient=late).state == "expired"
    assert CorrectionRequest.objects.get(expedient=in_time).state == "pending"
    assert Event.objects.filter(kind="correction_expired").count() == 1
    late.refresh_from_db()
    assert (late.state, late.due_date) == ("en_tramitacio", dt.date(2026, 7, 17))  # 1 July + 16 days suspended


def test_the_task_takes_primary_keys(pending):
    pks = list(CorrectionRequest.objects.values_list("pk", flat=True))
    with freeze_time("2026-04-18 06:00:00+00:00"):
        assert corrections_expire.delay(pks).get() == 1
        assert corrections_expire(pks) == 0
        assert corrections_expire([999_999]) == 0
