"""GEN-APORTACIO: documents for one of the citizen's own expedients, answering its correction request."""

from django.test import Client

from tests.tramits.expedients.factories import UserFactory
from tests.tramits.wizards.helpers import APPLICANT, Wizard, happy_steps, make_citizen, pdf
from tramits.catalogue.models import Department
from tramits.expedients.models import Expedient, ExpedientDocument
from tramits.expedients.services import correction_request
from tramits.submissions.models import Status, Submission


def filed_expedient(seu) -> Expedient:
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA"))
    wizard.submit()
    return Expedient.objects.get()


def test_answer_a_correction_request_from_the_carpeta_link(seu, citizen):
    expedient = filed_expedient(seu)
    staff = UserFactory()
    Department.objects.get(dir3=expedient.department.dir3).members.add(staff)
    correction_request(expedient=expedient, actor=staff, description="Falta el DNI")
    wizard = Wizard(seu, "GEN-APORTACIO")
    wizard.start(f"expedient={expedient.reference}")
    wizard.fill([("sollicitant", APPLICANT, {})])
    page = seu.get(wizard.url("expedient")).content.decode()
    assert "requeriment pendent fins al" in page
    assert any(expedient.reference in line and "selected" in line for line in page.splitlines())
    wizard.fill(
        [
            ("expedient", {"expedient": expedient.reference}, {}),
            ("documents", {"note": "Adjunto el DNI."}, {"document_1": pdf("dni.pdf")}),
        ]
    )
    response = wizard.submit()
    assert response.status_code == 302
    submission = Submission.objects.get(procedure_code="GEN-APORTACIO")
    assert submission.status == Status.REGISTERED, submission.last_error
    assert submission.expedient_number == expedient.reference
    assert ExpedientDocument.objects.filter(expedient=expedient, file_name="dni.pdf").exists()
    # The contribution is the answer: the request is answered and the expedient runs again.
    correction = expedient.correction_requests.get()
    expedient.refresh_from_db()
    assert (correction.state, correction.answered_by, expedient.state) == ("answered", citizen, "en_tramitacio")


def test_only_own_expedients_can_be_chosen(seu, departments, calendar):
    other = make_citizen(email="altra@example.org", number=55_555_555)
    other_client = Client()
    other_client.force_login(other)
    expedient = filed_expedient(other_client)
    wizard = Wizard(seu, "GEN-APORTACIO")
    wizard.fill([("sollicitant", APPLICANT, {})])
    assert expedient.reference not in seu.get(wizard.url("expedient")).content.decode()
    response = wizard.post("expedient", {"expedient": expedient.reference})
    assert response.status_code == 200
    assert "Trieu una de les opcions" in response.content.decode()
