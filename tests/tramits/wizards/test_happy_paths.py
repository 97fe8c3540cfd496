import pytest

from tests.tramits.wizards.helpers import HAPPY_PATHS, Wizard, happy_steps
from tramits.registre.models import RegisterEntry
from tramits.submissions.models import Status, Submission
from tramits.wizards.models import Draft


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
    assert f"/verificar/{submission.receipt_csv}/descarrega/" in content
    entry = RegisterEntry.objects.get()
    expected_files = sum(len(files) for _step, _answers, files in HAPPY_PATHS[code])
    assert submission.files.count() == expected_files
    assert entry.attachments.count() == expected_files
    assert not Draft.objects.exists()


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
