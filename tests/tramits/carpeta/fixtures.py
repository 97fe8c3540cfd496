"""Fixtures shared by the carpeta, notifications and representation tests: citizens, their expedients, receipts."""

import pytest

from tests.tramits.expedients.factories import (
    DepartmentFactory,
    ExpedientFactory,
    RegisterEntryFactory,
    UserFactory,
    dni,
)
from tramits.documents.models import DocumentType
from tramits.documents.services import issued_document_create
from tramits.expedients.models import Expedient
from tramits.representacions.models import Representation, RepresentationScope
from tramits.representacions.services import representation_accept, representation_request


@pytest.fixture
def department(db):
    return DepartmentFactory(code="PADRO")


@pytest.fixture
def staff(department):
    user = UserFactory(first_name="Anna", is_staff=True)
    department.members.add(user)
    return user


def citizen_make(number: int, **extra):
    return UserFactory(document_type="dni", document_number=dni(number), **extra)


@pytest.fixture
def citizen(db):
    return citizen_make(30_000_001, first_name="Maria", language="ca")


@pytest.fixture
def other_citizen(db):
    return citizen_make(30_000_002, first_name="Joan", language="es")


def expedient_for(citizen, department, **traits) -> Expedient:
    """An expedient filed by `citizen` with their own document number, through the services."""
    procedure_code = traits.pop("procedure_code", "PADRO-ALTA")
    entry = RegisterEntryFactory(
        unit=department,
        applicant_document_number=citizen.document_number,
        submitted_by=citizen,
        procedure_code=procedure_code,
    )
    return ExpedientFactory(
        department=department, citizen=citizen, entry=entry, procedure_code=procedure_code, **traits
    )


def expedient_of_person(document_number: str, department, *, procedure_code: str = "PADRO-ALTA") -> Expedient:
    """An expedient of a person without an account (filed at the desk)."""
    entry = RegisterEntryFactory(
        unit=department, applicant_document_number=document_number, procedure_code=procedure_code
    )
    return ExpedientFactory(department=department, entry=entry, procedure_code=procedure_code)


def receipt_for(expedient: Expedient):
    """A receipt of the expedient's opening entry, without rendering a real PDF."""
    entry = expedient.opening_entry
    return issued_document_create(
        title=f"Justificant {entry.reference}",
        document_type=DocumentType.ACKNOWLEDGEMENT,
        content=b"%PDF-1.4 justificant " + entry.reference.encode(),
        file_name=f"justificant-{entry.reference}.pdf",
        content_type="application/pdf",
        organ=entry.unit_dir3,
        register_entry=entry,
    )


def representation_accepted(
    representative, *, document_number: str, name: str = "Pere Roca", **extra
) -> Representation:
    representation = representation_request(
        representative=representative,
        represented_name=name,
        represented_document_number=document_number,
        scope=extra.pop("scope", RepresentationScope.ALL),
        **extra,
    )
    return representation_accept(representation=representation, actor=None)
