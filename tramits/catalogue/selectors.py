"""Reads of the catalogue: which department a code names, and which departments receive filings.

The catalogue spells department codes in upper case ("PADRO"); look-ups ignore case, so a code
typed by a person or stored before that spelling was settled still finds its department.
"""

from django.db.models import Case, IntegerField, Value, When

from tramits.catalogue.models import Department
from tramits.catalogue.procedures import PROCEDURES, get_procedure

# GEN-INSTANCIA and every filing whose unit is not yet known land in the general register.
GENERAL_REGISTER = "REGISTRE"


def department_by_code(*, code: str) -> Department | None:
    """The department with this code, whatever its case; the catalogue's spelling wins a tie."""
    code = (code or "").strip()
    if not code:
        return None
    return (
        Department.objects.filter(code__iexact=code)
        .order_by(Case(When(code=code.upper(), then=Value(0)), default=Value(1), output_field=IntegerField()), "pk")
        .first()
    )


def department_for_procedure(*, procedure_code: str) -> Department | None:
    """The department the catalogue makes responsible for this procedure, if it exists here."""
    procedure = get_procedure(procedure_code)
    if procedure is None:
        return None
    return department_by_code(code=procedure.department)


def filing_department_codes() -> list[str]:
    """The codes of the departments that receive filings: every procedure's, and the general register."""
    codes = {procedure.department for procedure in PROCEDURES} | {GENERAL_REGISTER}
    return sorted(codes)
