"""The catalogue is a public contract: codes are stable and complete."""

import re

import pytest
from django.core.exceptions import ValidationError

from tramits.catalogue.models import Department
from tramits.catalogue.procedures import BY_CODE, DEPARTMENTS, PROCEDURES, TermUnit, get_procedure

CONTRACT_CODES = {
    "PADRO-ALTA", "PADRO-NAIXEMENT", "PADRO-CANVI-DOMICILI", "PADRO-MODIFICACIO", "PADRO-BAIXA", "PADRO-VOLANT",
    "PADRO-CERTIFICAT", "PADRO-RENOVACIO", "PADRO-CONFIRMACIO", "PADRO-AUTORITZACIO", "PADRO-CONSULTA-DOMICILI",
    "GEN-INSTANCIA", "GEN-QUEIXES", "GEN-APORTACIO", "GEN-REPRESENTACIO", "MOB-TARGETA-APARCAMENT", "MOB-GUAL",
    "URB-OBRES-MENORS", "HIS-BONIFICACIO-IBI", "HIS-DOMICILIACIO", "EDU-ESCOLA-BRESSOL", "SOC-AJUT-URGENCIA",
    "MED-RECOLLIDA-MOBLES", "VIA-TERRASSA",
}  # fmt: skip


def test_codes_are_the_contract():
    assert {p.code for p in PROCEDURES} == CONTRACT_CODES
    assert len(PROCEDURES) == len(BY_CODE) == 24


def test_every_procedure_names_a_known_department_and_term():
    departments = {code for code, *_ in DEPARTMENTS}
    for procedure in PROCEDURES:
        assert procedure.department in departments
        assert procedure.title_ca and procedure.title_es and procedure.title_en
        if procedure.term_unit in (TermUnit.MONTHS, TermUnit.BUSINESS_DAYS):
            assert procedure.term_value > 0


def test_lookup_is_case_insensitive_and_safe():
    assert get_procedure("padro-alta") is BY_CODE["PADRO-ALTA"]
    assert get_procedure("") is None
    assert get_procedure(None) is None
    assert get_procedure("PADRO") is None


def test_department_dir3_codes_are_well_formed():
    for _code, dir3, *_ in DEPARTMENTS:
        assert re.fullmatch(r"[A-Z0-9]{9}", dir3)


@pytest.mark.django_db
def test_bad_dir3_is_refused_with_a_message():
    department = Department(code="prova", dir3="la-001", name_ca="Prova", name_es="Prueba")
    with pytest.raises(ValidationError) as error:
        department.full_clean()
    assert "dir3" in error.value.message_dict
