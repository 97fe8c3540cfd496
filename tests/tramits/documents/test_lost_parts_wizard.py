"""A document part the multipart parser would drop gives the citizen a clear error on the wizard's step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tramits.documents import multipart_bodies as multipart
from tests.tramits.wizards import helpers
from tests.tramits.wizards.helpers import PDF, Wizard, happy_steps
from tramits.wizards.models import Draft

# The wizards' fixtures, used here as in tests/tramits/wizards/.
_register_in_process = helpers._register_in_process
calendar, citizen, departments, seu = helpers.calendar, helpers.citizen, helpers.departments, helpers.seu

pytestmark = pytest.mark.django_db


def at_documents_step(client) -> Wizard:
    wizard = Wizard(client, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA")[:2])
    return wizard


@pytest.mark.parametrize("filename", [b"\xff\xfe.pdf", b"contracte_\xe9.pdf", b".."], ids=["bytes", "latin-1", "dots"])
def test_the_wizard_says_a_document_did_not_arrive(seu, filename):
    wizard = at_documents_step(seu)
    response = seu.generic(
        "POST",
        wizard.url("documents"),
        multipart.body(
            multipart.field("GEN-INSTANCIA-current_step", "documents"),
            multipart.file(b"documents-document_1", filename, PDF),
        ),
        content_type=multipart.CONTENT_TYPE,
    )
    assert response.status_code == 200
    assert "no s&#x27;ha pogut llegir" in response.content.decode()
    assert "documents" not in Draft.objects.get().data["step_files"]


def test_a_file_posted_under_a_name_the_step_does_not_ask_for_is_not_stored(seu):
    wizard = at_documents_step(seu)
    extra = SimpleUploadedFile("extra.pdf", b"MZ not checked", "application/pdf")
    response = wizard.post("documents", {}, {}, **{"documents-extra": extra})
    assert response.status_code == 302
    assert Draft.objects.get().data["step_files"].get("documents", {}) == {}
