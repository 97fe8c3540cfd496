import pytest
from django.urls import reverse

from tests.tramits.wizards.helpers import HAPPY_PATHS, Wizard, happy_steps
from tramits.documents.codes import csv_display
from tramits.registre.applications import application_problem, entry_application
from tramits.registre.models import AttachmentKind, RegisterEntry
from tramits.submissions.models import Status, Submission
from tramits.wizards.models import Draft
from tramits.wizards.registry import wizard_view


@pytest.mark.parametrize("code", sorted(HAPPY_PATHS))
def test_happy_path_registers_and_shows_both_numbers(seu, citizen, code, mailoutbox):
    wizard = Wizard(seu, code)
    assert wizard.start().status_code == 302
    wizard.fill(happy_steps(code))
    response = wizard.submit()
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Submission.objects.get()
    assert submission.status == Status.REGISTERED, submission.last_error
    page = seu.get(response["Location"])
    content = page.content.decode()
    assert submission.register_number in content
    assert submission.expedient_number in content
    assert csv_display(submission.receipt_csv) in content  # the code is reserved with the entry, shown at once
    receipt = seu.get(reverse("wizards:receipt", kwargs={"reference": submission.reference}))
    assert receipt.status_code == 200 and b"".join(receipt.streaming_content).startswith(b"%PDF")
    entry = RegisterEntry.objects.get()
    uploads = sum(len(files) for _step, _answers, files in HAPPY_PATHS[code])
    assert submission.files.count() == entry.attachments.count() == uploads + 2
    kinds = list(entry.attachments.order_by("position").values_list("kind", flat=True))
    assert (
        kinds
        == [AttachmentKind.APPLICATION_DATA, AttachmentKind.APPLICATION_FORM] + [AttachmentKind.DOCUMENT] * uploads
    )
    assert not Draft.objects.exists()

    # The application itself is in the record: every answer, with its label, as the schema says.
    application = entry_application(entry=entry)
    steps = [name for name, _form in wizard_view(code).view_class.form_list if name != "revisio"]
    assert application_problem(document=application, procedure_code=code, steps=steps) == ""
    assert application["applicant"]["document_number"] == citizen.document_number
    answered = {(step["step"], field["field"]): field for step in application["steps"] for field in step["fields"]}
    for step, answers, files in HAPPY_PATHS[code]:
        for name in {**answers, **files}:
            if step == "sollicitant" and name in ("full_name", "document_type", "document_number"):
                assert (step, name) in answered  # shown as the account proves it, whatever was posted
                continue
            assert (step, name) in answered, (step, name)
            field = answered[(step, name)]
            assert set(field["label"]) == {"ca", "es", "en"} and all(field["label"].values())
    pdf = entry.attachments.get(kind=AttachmentKind.APPLICATION_FORM)
    with pdf.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_representation_request_is_recorded_for_staff(seu, citizen):
    from tramits.representacions.models import Representation, RepresentationState

    wizard = Wizard(seu, "GEN-REPRESENTACIO")
    wizard.start()
    wizard.fill(happy_steps("GEN-REPRESENTACIO"))
    wizard.submit()
    submission = Submission.objects.get()
    representation = Representation.objects.get()
    assert representation.representative == citizen
    assert representation.state == RepresentationState.REQUESTED
    assert representation.expedient.reference == submission.expedient_number
