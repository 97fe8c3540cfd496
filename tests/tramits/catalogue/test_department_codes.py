"""Department codes: one spelling (the catalogue's), found whatever the case they are typed in."""

import importlib

import pytest

from tests.tramits.expedients.factories import DepartmentFactory
from tramits.catalogue.procedures import DEPARTMENTS, PROCEDURES
from tramits.catalogue.selectors import department_by_code, department_for_procedure, filing_department_codes

migration = importlib.import_module("tramits.catalogue.migrations.0003_department_codes_in_catalogue_spelling")


@pytest.mark.django_db
def test_a_code_is_found_whatever_its_case():
    padro = DepartmentFactory(code="PADRO")
    assert department_by_code(code="padro") == padro
    assert department_by_code(code=" Padro ") == padro
    assert department_by_code(code="PADRO") == padro
    assert department_by_code(code="") is None
    assert department_by_code(code="PADR") is None


@pytest.mark.django_db
def test_the_catalogue_spelling_wins_when_two_spellings_exist():
    DepartmentFactory(code="padro")
    canonical = DepartmentFactory(code="PADRO")
    assert department_by_code(code="padro") == canonical


@pytest.mark.django_db
def test_a_procedure_leads_to_its_catalogue_department():
    urbanisme = DepartmentFactory(code="urbanisme")
    assert department_for_procedure(procedure_code="urb-obres-menors") == urbanisme
    assert department_for_procedure(procedure_code="PADRO-ALTA") is None  # no PADRO here
    assert department_for_procedure(procedure_code="NO-EXISTEIX") is None


def test_filings_reach_every_procedures_department_and_the_general_register():
    codes = filing_department_codes()
    assert "REGISTRE" in codes
    assert {procedure.department for procedure in PROCEDURES} <= set(codes)
    assert set(codes) <= {code for code, *_ in DEPARTMENTS}


def test_the_migration_knows_the_catalogue_codes():
    assert set(migration.CATALOGUE_CODES) == {code for code, *_ in DEPARTMENTS}


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (["padro", "mobilitat", "REGISTRE"], {"padro": "PADRO", "mobilitat": "MOBILITAT"}),
        (["Padro"], {"Padro": "PADRO"}),
        (["padro", "PADRO"], {}),  # the catalogue's spelling is taken: leave the other row alone
        (["padro", "Padro"], {}),  # two rows would take the same code
        (["cultura", "PADRO"], {}),  # not a catalogue code; already in the catalogue's spelling
    ],
)
def test_the_migration_renames_only_where_no_clash_exists(existing, expected):
    assert migration.renames(existing, str.upper) == expected


def test_the_migration_goes_back_to_the_lower_case_the_demo_wrote():
    assert migration.renames(["PADRO", "MOBILITAT", "cultura"], str.lower) == {
        "PADRO": "padro",
        "MOBILITAT": "mobilitat",
    }
    assert migration.renames(["PADRO", "padro"], str.lower) == {}


@pytest.mark.django_db
def test_the_migration_renames_stored_codes():
    from django.apps import apps

    padro, cultura = DepartmentFactory(code="padro"), DepartmentFactory(code="cultura")
    migration.to_catalogue_spelling(apps, None)
    padro.refresh_from_db()
    cultura.refresh_from_db()
    assert (padro.code, cultura.code) == ("PADRO", "cultura")
    migration.to_lower_case(apps, None)
    padro.refresh_from_db()
    assert padro.code == "padro"
