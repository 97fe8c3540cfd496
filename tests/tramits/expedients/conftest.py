import pytest
from django.db import connection

from tests.tramits.expedients.factories import DepartmentFactory, UserFactory
from tramits.terminis.calendar import holidays_seed

EXPEDIENT_TABLES = [
    "expedients_event",
    "expedients_expedientdocument",
    "expedients_suspension",
    "expedients_task",
    "expedients_correctionrequest",
    "expedients_interestedparty",
    "expedients_expedient",
    "expedients_expedientcounter",
]
REGISTER_TABLES = ["registre_registerattachment", "registre_registerentry"]


@pytest.fixture
def calendar_seeded(db):
    for year in (2025, 2026, 2027, 2028):
        holidays_seed(year=year)


@pytest.fixture
def people(db):
    """Staff of three departments and two citizens."""
    return {
        "owner": UserFactory(first_name="Anna"),
        "owner_colleague": UserFactory(first_name="Pere"),
        "helper": UserFactory(first_name="Laia"),
        "outsider": UserFactory(first_name="Marc"),
        "citizen": UserFactory(first_name="Maria"),
        "other_citizen": UserFactory(first_name="Joan"),
    }


@pytest.fixture
def departments(people):
    return {
        "owner": DepartmentFactory(code="PADRO", staff=[people["owner"], people["owner_colleague"]]),
        "helper": DepartmentFactory(code="URBANISME", staff=[people["helper"]]),
        "outsider": DepartmentFactory(code="HISENDA", staff=[people["outsider"]]),
    }


def purge_tables() -> None:
    """Empty the expedients and the append-only register after a transactional test (triggers lifted briefly)."""
    with connection.cursor() as cursor:
        for table in EXPEDIENT_TABLES:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM documents_issueddocument WHERE register_entry_id IS NOT NULL")
        for table in REGISTER_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM {table}")
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def tables_purged(transactional_db):
    yield
    purge_tables()
