import pytest
from django.db import connection

from tramits.catalogue.models import Department
from tramits.registre.models import Channel, IdentificationMethod, Register
from tramits.registre.services import Party, register_entry_create


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def units(db):
    """The two units the tests file to (the catalogue may have loaded them already)."""
    padro, _ = Department.objects.get_or_create(
        dir3="LA0019781",
        defaults={"code": "PADRO", "name_ca": "Padró d'habitants (OAC)", "name_es": "Padrón de habitantes (OAC)"},
    )
    registre, _ = Department.objects.get_or_create(
        dir3="LA0019780", defaults={"code": "REGISTRE", "name_ca": "Registre General", "name_es": "Registro General"}
    )
    return {"padro": padro, "registre": registre}


@pytest.fixture
def applicant() -> Party:
    return Party(name="Maria Puig Soler", document_number="12345678Z", identified_by=IdentificationMethod.OIDC_VALID)


@pytest.fixture
def make_entry(units, applicant):
    """Register a filing with sensible defaults; keyword arguments override them."""

    def make(**overrides):
        arguments = {
            "register": Register.INCOMING,
            "channel": Channel.ELECTRONIC,
            "applicant": applicant,
            "subject": "Alta al padró",
            "procedure_code": "PADRO-ALTA",
            "unit_dir3": "LA0019781",
            "attachments": [("contracte.pdf", b"%PDF-1.4 contracte", "application/pdf")],
        }
        arguments.update(overrides)
        return register_entry_create(**arguments)

    return make


def purge_register() -> None:
    """Empty the append-only tables after a transactional test (the triggers are lifted for a moment)."""
    tables = ["registre_registerattachment", "registre_registerentry"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_issueddocument WHERE register_entry_id IS NOT NULL")
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM {table}")
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def register_purged(transactional_db):
    yield
    purge_register()
