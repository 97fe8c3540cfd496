"""Identity is what the login proved: the profile holds it; acting for someone needs a representation on record."""

from django.urls import reverse

from tests.tramits.expedients.factories import dni
from tests.tramits.wizards.helpers import Wizard, happy_steps, make_citizen
from tramits.accounts.models import User
from tramits.registre.models import IdentificationMethod, RegisterEntry
from tramits.representacions.services import representation_accept, representation_request, representation_revoke
from tramits.submissions.models import Status, Submission

REPRESENTED = dni(40_000_001)


def accepted_representation(representative, *, procedure_codes=("GEN-INSTANCIA",)):
    staff = User.objects.create_user(email="oac@example.org", password="x", is_staff=True)
    representation = representation_request(
        representative=representative,
        represented_name="Pere Roca Puig",
        represented_document_number=REPRESENTED,
        scope="procedures",
        procedure_codes=list(procedure_codes),
    )
    return representation_accept(representation=representation, actor=staff)


def file_gen_instancia(seu, *, acting_for=None):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    steps = happy_steps("GEN-INSTANCIA")
    if acting_for is not None:
        steps[0] = (steps[0][0], {**steps[0][1], "acting_for": acting_for}, {})
    wizard.fill(steps)
    return wizard.submit()


def test_a_profile_without_an_identity_document_is_completed_before_filing(seu, citizen):
    User.objects.filter(pk=citizen.pk).update(document_number=None, document_type="")
    response = seu.get(reverse("wizards:start", kwargs={"code": "GEN-INSTANCIA"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:profile_edit"))
    assert "next=" in response["Location"]
    assert not Submission.objects.exists()


def test_the_profile_form_returns_to_the_procedure_once_completed(seu, citizen):
    User.objects.filter(pk=citizen.pk).update(document_number=None, document_type="")
    start = reverse("wizards:start", kwargs={"code": "GEN-INSTANCIA"})
    data = {"first_name": "Marta", "last_name": "Puig i Solé", "document_type": "dni", "document_number": dni(1)}
    page = seu.get(reverse("accounts:profile_edit"), {"next": start}).content.decode()
    assert f'value="{start}"' in page
    response = seu.post(reverse("accounts:profile_edit"), {**data, "language": "ca", "next": start})
    assert response.status_code == 302 and response["Location"] == start
    unsafe = seu.post(reverse("accounts:profile_edit"), {**data, "language": "ca", "next": "https://example.com/"})
    assert unsafe["Location"] == reverse("accounts:profile")


def test_without_a_representation_there_is_nobody_else_to_file_for(seu, citizen):
    page = seu.get(Wizard(seu, "GEN-INSTANCIA").url("sollicitant")).content.decode()
    assert "acting_for" not in page


def test_a_representative_files_for_the_person_represented(seu, citizen):
    representation = accepted_representation(citizen)
    page = seu.get(Wizard(seu, "GEN-INSTANCIA").url("sollicitant")).content.decode()
    assert "Pere Roca Puig" in page
    file_gen_instancia(seu, acting_for=str(representation.pk))
    submission = Submission.objects.get()
    assert submission.status == Status.REGISTERED, submission.last_error
    entry = RegisterEntry.objects.get()
    assert (entry.applicant_name, entry.applicant_document_number) == ("Pere Roca Puig", REPRESENTED)
    assert entry.applicant_identified_by == IdentificationMethod.REPRESENTED
    assert (entry.representative_name, entry.representative_document_number) == (
        citizen.get_full_name(),
        citizen.document_number,
    )
    assert entry.representative_identified_by == IdentificationMethod.PASSWORD
    assert submission.application["representative"]["document_number"] == citizen.document_number


def test_a_representation_for_another_procedure_offers_nothing(seu, citizen):
    accepted_representation(citizen, procedure_codes=("PADRO-ALTA",))
    assert "acting_for" not in seu.get(Wizard(seu, "GEN-INSTANCIA").url("sollicitant")).content.decode()


def test_a_representation_revoked_before_registration_is_refused(seu, citizen, register_down):
    representation = accepted_representation(citizen)
    file_gen_instancia(seu, acting_for=str(representation.pk))
    submission = Submission.objects.get()
    assert submission.status == Status.RECEIVED
    representation_revoke(representation=representation, actor=citizen)
    register_down()  # back up: the retry registers locally
    from tramits.submissions.services import submission_register

    Submission.objects.filter(pk=submission.pk).update(next_attempt_at=None)
    assert submission_register(submission_id=submission.pk).status == Status.FAILED_PERMANENTLY
    assert not RegisterEntry.objects.exists()


def test_another_citizen_cannot_choose_someone_elses_representation(seu, citizen):
    other = make_citizen(email="altra@example.org", number=55_555_555)
    representation = accepted_representation(other)
    response = Wizard(seu, "GEN-INSTANCIA").post("sollicitant", {**happy_steps("GEN-INSTANCIA")[0][1]})
    assert response.status_code == 302
    file_gen_instancia(seu, acting_for=str(representation.pk))
    entry = RegisterEntry.objects.get()
    assert entry.applicant_document_number == citizen.document_number and not entry.representative_name
