"""The filing service: one transaction for the entry and its expedient, idempotent on the key."""

import pytest

from tests.tramits.expedients.factories import dni
from tramits.documents.models import IssuedDocument
from tramits.expedients.filing import filing_expedient_of, filing_register
from tramits.expedients.models import Expedient, ExpedientDocument
from tramits.registre.models import RegisterEntry
from tramits.registre.services import IdempotencyKeyConflict, Party, RegisterEntryInvalid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]

PDF = ("contracte.pdf", b"%PDF-1.4 contracte", "application/pdf")


def file(citizen, *, key="k-1", **overrides):
    arguments = {
        "channel": "electronic",
        "applicant": Party(
            name="Maria Puig Soler", document_number=citizen.document_number, identified_by="oidc_valid"
        ),
        "subject": "Alta al padró",
        "procedure_code": "PADRO-ALTA",
        "attachments": [PDF],
        "idempotency_key": key,
        "citizen": citizen,
    }
    arguments.update(overrides)
    return filing_register(**arguments)


def test_opens_the_expedient_in_the_procedures_department_with_a_receipt(
    people, departments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry, expedient = file(people["citizen"])
    assert expedient.opening_entry == entry
    assert expedient.department == departments["owner"]
    assert expedient.citizen == people["citizen"]
    assert entry.unit == departments["owner"] and entry.submitted_by == people["citizen"]
    assert list(expedient.documents.values_list("sha256", flat=True)) == [entry.attachments.get().sha256]
    assert IssuedDocument.objects.get(register_entry=entry, document_type="TD09").csv == entry.receipt_csv
    assert filing_expedient_of(entry=entry) == expedient


def test_the_same_key_gives_the_same_entry_and_expedient(people, departments):
    first = file(people["citizen"])
    again = file(people["citizen"])
    assert again == first
    assert RegisterEntry.objects.count() == 1 and Expedient.objects.count() == 1
    with pytest.raises(IdempotencyKeyConflict):
        file(people["citizen"], subject="Una altra cosa")


def test_a_given_department_owns_the_expedient(people, departments):
    _entry, expedient = file(people["citizen"], department=departments["helper"])
    assert expedient.department == departments["helper"]


def test_a_contribution_adds_documents_to_the_citizens_expedient_once(people, departments):
    _entry, expedient = file(people["citizen"])
    arguments = {
        "procedure_code": "GEN-APORTACIO",
        "subject": "Aporto el contracte signat",
        "expedient_number": expedient.reference.lower(),
        "attachments": [("signat.pdf", b"%PDF-1.4 signat", "application/pdf")],
        "key": "k-2",
    }
    entry, same = file(people["citizen"], **arguments)
    assert same == expedient and Expedient.objects.count() == 1
    assert entry.unit == departments["owner"]
    added = ExpedientDocument.objects.filter(expedient=expedient, register_entry=entry)
    assert list(added.values_list("file_name", "origin")) == [("signat.pdf", "citizen")]
    assert expedient.events.filter(kind="document_added").count() == 1
    assert file(people["citizen"], **arguments) == (entry, expedient)
    assert added.count() == 1
    assert filing_expedient_of(entry=entry) == expedient


def test_a_contribution_to_someone_elses_expedient_is_refused_and_writes_nothing(people, departments):
    _entry, expedient = file(people["citizen"])
    other = people["other_citizen"]
    with pytest.raises(RegisterEntryInvalid) as error:
        file(other, procedure_code="GEN-APORTACIO", expedient_number=expedient.reference, key="k-3")
    assert "expedient_number" in error.value.message_dict
    assert RegisterEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"procedure_code": "NO-EXISTEIX"}, "procedure_code"),
        ({"expedient_number": "EXP-2026-000001"}, "expedient_number"),
        ({"procedure_code": "GEN-APORTACIO"}, "expedient_number"),
        ({"applicant": Party(name="Maria", document_number="12345678A", identified_by="oidc_valid")}, None),
    ],
)
def test_invalid_filings_write_nothing(people, departments, overrides, field):
    with pytest.raises(RegisterEntryInvalid) as error:
        file(people["citizen"], **overrides)
    if field:
        assert field in error.value.message_dict
    assert RegisterEntry.objects.count() == 0 and Expedient.objects.count() == 0


def test_a_procedure_whose_department_is_missing_is_refused(people):
    with pytest.raises(RegisterEntryInvalid) as error:
        file(people["citizen"], applicant=Party(name="Maria", document_number=dni(3), identified_by="oidc_valid"))
    assert "procedure_code" in error.value.message_dict
