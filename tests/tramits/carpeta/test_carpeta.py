import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from tests.tramits.carpeta.fixtures import (
    citizen_make,
    expedient_for,
    expedient_of_person,
    receipt_for,
    representation_accepted,
)
from tests.tramits.expedients.factories import UserFactory, dni, pdf
from tramits.expedients import services
from tramits.notificacions.models import Notification
from tramits.notificacions.services import notification_access

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture(autouse=True)
def _wednesday_before_easter():
    """Everything happens on Wednesday 1 April 2026, so deadlines cross the Easter holidays."""
    with freeze_time("2026-04-01 08:00:00+00:00", tick=True):
        yield


def _home(client):
    return client.get(reverse("carpeta:home"))


def _h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


@pytest.fixture
def mine(citizen, department):
    """The citizen's expedient with a receipt, a filed document and a pending correction request."""
    expedient = expedient_for(citizen, department, in_progress=True)
    receipt = receipt_for(expedient)
    correction = services.correction_request(
        expedient=expedient, actor=None, description="Falta el contracte signat.", document=pdf("requeriment")
    )
    return {
        "expedient": expedient,
        "receipt": receipt,
        "filed": expedient.documents.get(document_type="sollicitud"),
        "correction": correction,
        "notification": Notification.objects.get(correction=correction),
    }


def test_the_carpeta_needs_a_login(client):
    response = _home(client)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_home_puts_the_pending_correction_first_behind_its_notification(client, citizen, mine):
    client.force_login(citizen)
    response = _home(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert _h1_count(response) == 1
    notification_url = reverse("carpeta:notification", kwargs={"pk": mine["notification"].pk})
    assert page.index("Requeriments pendents de resposta") < page.index("Els meus expedients")
    assert notification_url in page
    # The content of the correction is only in the notification, which is not opened yet.
    assert "Falta el contracte" not in page
    assert mine["expedient"].reference in page
    assert "Alta al padró" in page  # the procedure title from the catalogue
    assert reverse("carpeta:receipt", kwargs={"pk": mine["receipt"].pk}) in page


def test_once_opened_the_correction_shows_its_deadline_and_the_answer_button(client, citizen, mine):
    client.force_login(citizen)
    notification_access(notification=mine["notification"], user=citizen)
    page = _home(client).content.decode()
    mine["correction"].refresh_from_db()
    assert mine["correction"].deadline.isoformat() == "2026-04-17"
    # 2-17 April without Easter (3 and 6 April) and weekends: 10 business days left.
    assert "queden 10 dies hàbils" in page
    link = re.search(r'<a class="button button--primary" href="([^"]+)">Respon', page)
    url = urlsplit(link[1].replace("&amp;", "&"))
    assert url.path == reverse("wizards:start", kwargs={"code": "GEN-APORTACIO"})
    assert parse_qs(url.query) == {"expedient": [mine["expedient"].reference]}


def test_opening_a_notification_warns_first_and_records_access_on_post(client, citizen, mine):
    client.force_login(citizen)
    url = reverse("carpeta:notification", kwargs={"pk": mine["notification"].pk})
    response = client.get(url)
    page = response.content.decode()
    assert _h1_count(response) == 1
    assert "es considerarà notificada" in page
    assert "Falta el contracte" not in page
    mine["notification"].refresh_from_db()
    assert mine["notification"].state == "pending"
    response = client.post(url, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    assert response.status_code == 302
    mine["notification"].refresh_from_db()
    assert mine["notification"].state == "accessed"
    assert mine["notification"].access_user_agent == "Firefox 128 (Linux)"
    assert mine["notification"].access_ip_hash
    page = client.get(url).content.decode()
    assert "Falta el contracte signat." in page
    document = client.get(reverse("carpeta:notification_document", kwargs={"pk": mine["notification"].pk}))
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"%PDF")


def test_the_notified_document_waits_for_the_access(client, citizen, mine):
    client.force_login(citizen)
    response = client.get(reverse("carpeta:notification_document", kwargs={"pk": mine["notification"].pk}))
    assert response.status_code == 404
    requirement = mine["notification"].expedient_document
    url = reverse("carpeta:document", kwargs={"reference": mine["expedient"].reference, "pk": requirement.pk})
    assert client.get(url).status_code == 404


def test_downloads_of_own_documents_are_logged_without_personal_data(client, citizen, mine, caplog):
    caplog.set_level(logging.INFO, logger="tramits.carpeta.views")
    client.force_login(citizen)
    expedient = mine["expedient"]
    response = client.get(
        reverse("carpeta:document", kwargs={"reference": expedient.reference, "pk": mine["filed"].pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("carpeta:receipt", kwargs={"pk": mine["receipt"].pk})).status_code == 200
    logged = [record.getMessage() for record in caplog.records if record.name == "tramits.carpeta.views"]
    assert any("action=document_download" in line and expedient.reference in line for line in logged)
    assert any("action=receipt_download" in line for line in logged)
    text = " ".join(logged)
    for personal in (citizen.document_number, citizen.email, citizen.first_name, "Maria Puig"):
        assert personal not in text


def _other_urls(mine) -> list[tuple[str, str]]:
    expedient, notification = mine["expedient"], mine["notification"]
    return [
        ("get", reverse("carpeta:expedient", kwargs={"reference": expedient.reference})),
        ("get", reverse("carpeta:document", kwargs={"reference": expedient.reference, "pk": mine["filed"].pk})),
        ("get", reverse("carpeta:receipt", kwargs={"pk": mine["receipt"].pk})),
        ("get", reverse("carpeta:notification", kwargs={"pk": notification.pk})),
        ("post", reverse("carpeta:notification", kwargs={"pk": notification.pk})),
        ("get", reverse("carpeta:notification_document", kwargs={"pk": notification.pk})),
    ]


def test_another_citizen_gets_404_for_everything_of_mine(client, other_citizen, mine):
    client.force_login(other_citizen)
    for method, url in _other_urls(mine):
        assert getattr(client, method)(url).status_code == 404, url
    page = _home(client).content.decode()
    assert mine["expedient"].reference not in page
    mine["notification"].refresh_from_db()
    assert mine["notification"].state == "pending"


def test_staff_get_404_through_the_citizen_urls_too(client, staff, mine):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    for method, url in _other_urls(mine):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_timeline_is_in_plain_language_and_hides_internal_work(client, citizen, department, staff, mine):
    expedient = mine["expedient"]
    helper = UserFactory()
    other = services.Department.objects.create(code="URBANISME", dir3="LA0019791", name_ca="Urbanisme")
    other.members.add(helper)
    services.expedient_assign(expedient=expedient, assignee=staff, actor=staff)
    task = services.task_request(
        expedient=expedient, actor=staff, to_department=other, kind="report", description="Informe intern sobre el cas"
    )
    services.task_answer(task=task, actor=helper, answer="Resposta interna", report=pdf("informe-intern"))
    services.document_add(
        expedient=expedient, actor=staff, title="Nota interna", document_type="altres", upload=pdf("nota")
    )
    client.force_login(citizen)
    response = client.get(reverse("carpeta:expedient", kwargs={"reference": expedient.reference}))
    page = response.content.decode()
    assert _h1_count(response) == 1
    assert "Heu presentat la sol·licitud" in page
    assert "L&#x27;Ajuntament us ha demanat que esmeneu" in page or "L'Ajuntament us ha demanat que esmeneu" in page
    assert "Teniu una notificació a la carpeta." in page
    for internal in ("Informe intern", "Resposta interna", "Nota interna", "informe-intern", "Assignació", "Anna"):
        assert internal not in page
    report = expedient.documents.get(document_type="informe")
    url = reverse("carpeta:document", kwargs={"reference": expedient.reference, "pk": report.pk})
    assert client.get(url).status_code == 404


def test_the_resolution_is_downloadable_once_notified(client, citizen, department):
    expedient = expedient_for(citizen, department, resolved=True)
    resolution = expedient.documents.get(document_type="resolucio")
    url = reverse("carpeta:document", kwargs={"reference": expedient.reference, "pk": resolution.pk})
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    notification_access(notification=Notification.objects.get(expedient=expedient), user=citizen)
    assert client.get(url).status_code == 200
    page = client.get(reverse("carpeta:expedient", kwargs={"reference": expedient.reference})).content.decode()
    assert url in page


def test_a_representative_sees_the_represented_persons_expedient_marked_as_theirs(client, citizen, department):
    person = dni(40_000_001)
    theirs = expedient_of_person(person, department)
    receipt = receipt_for(theirs)
    representation = representation_accepted(citizen, document_number=person, name="Pere Roca Puig")
    client.force_login(citizen)
    page = _home(client).content.decode()
    assert theirs.reference in page
    assert "En nom de Pere Roca Puig" in page
    detail = reverse("carpeta:expedient", kwargs={"reference": theirs.reference})
    assert client.get(detail).status_code == 200
    assert client.get(reverse("carpeta:receipt", kwargs={"pk": receipt.pk})).status_code == 200
    response = client.post(reverse("carpeta:representation_revoke", kwargs={"pk": representation.pk}))
    assert response.status_code == 302
    assert client.get(detail).status_code == 404
    assert client.get(reverse("carpeta:receipt", kwargs={"pk": receipt.pk})).status_code == 404


def test_the_representations_page_lists_both_sides(client, citizen, other_citizen):
    representation_accepted(citizen, document_number=other_citizen.document_number, name="Joan Serra")
    client.force_login(citizen)
    response = client.get(reverse("carpeta:representations"))
    assert _h1_count(response) == 1
    assert "Joan Serra" in response.content.decode()
    client.force_login(other_citizen)
    page = client.get(reverse("carpeta:representations")).content.decode()
    assert citizen.email in page or citizen.get_full_name() in page
    outsider = citizen_make(30_000_999)
    client.force_login(outsider)
    item = citizen.representations_held.get()
    assert client.post(reverse("carpeta:representation_revoke", kwargs={"pk": item.pk})).status_code == 404


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _home(client).status_code == 200
    return len(queries)


def test_the_home_runs_the_same_number_of_queries_for_1_or_200_expedients(client, citizen, department):
    client.force_login(citizen)
    first = expedient_for(citizen, department)
    receipt_for(first)
    services.correction_request(expedient=first, actor=None, description="Falta el contracte")
    representation_accepted(citizen, document_number=dni(40_000_001))
    expedient_of_person(dni(40_000_001), department)
    _home(client)  # the first request fills the per-process caches (site, settings)
    few = _home_queries(client)
    for number in range(199):
        expedient = expedient_for(citizen, department)
        if number % 10 == 0:
            receipt_for(expedient)
        if number % 20 == 0:
            services.correction_request(expedient=expedient, actor=None, description="Falta un document")
    assert _home_queries(client) == few
    # Ten of the carpeta's own (representations, corrections, holidays, notifications, count, page,
    # receipts, drafts, submissions pending); the rest are the session and the site's header and footer.
    assert few <= 25


def test_drafts_to_resume_and_filings_waiting_for_registration_are_listed(client, citizen, other_citizen):
    from tramits.submissions.models import Submission
    from tramits.wizards.models import Draft

    draft = Draft.objects.create(user=citizen, procedure_code="PADRO-CANVI-DOMICILI", data={"step": "adreca"})
    Draft.objects.create(user=other_citizen, procedure_code="GEN-QUEIXES", data={})
    waiting = Submission.objects.create(
        user=citizen, procedure_code="GEN-INSTANCIA", subject="Instància genèrica", idempotency_key="clau-1"
    )
    client.force_login(citizen)
    page = _home(client).content.decode()
    assert reverse("wizards:resume", kwargs={"code": draft.procedure_code, "key": draft.key}) in page
    assert "Canvi de domicili dins de Lleida" in page
    assert "GEN-QUEIXES" not in page
    assert waiting.reference in page
    assert "pendents de registre" in page


def test_an_expedient_filed_as_someones_representative_names_the_applicant(client, citizen, department):
    from tests.tramits.expedients.factories import RegisterEntryFactory
    from tramits.expedients.services import Interested, expedient_open

    entry = RegisterEntryFactory(unit=department, applicant_document_number=dni(40_000_700), submitted_by=citizen)
    expedient = expedient_open(
        entry=entry,
        department=department,
        procedure_code="PADRO-ALTA",
        citizen=citizen,
        interested=[
            Interested(name="Laia Ferrer Pons", document_number=dni(40_000_700)),
            Interested(name="Maria", document_number=citizen.document_number, role="representative", user=citizen),
        ],
    )
    own = expedient_for(citizen, department)
    client.force_login(citizen)
    page = _home(client).content.decode()
    assert expedient.reference in page and own.reference in page
    assert page.count("En nom de Laia Ferrer Pons") == 1
