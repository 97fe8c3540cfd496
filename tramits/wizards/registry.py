"""Which wizard serves which catalogue code."""

from functools import cache

from tramits.catalogue.procedures import PROCEDURES, get_procedure
from tramits.wizards.base import ProcedureWizard
from tramits.wizards.procedures.gen_aportacio import GenAportacioWizard
from tramits.wizards.procedures.gen_instancia import GenInstanciaWizard
from tramits.wizards.procedures.gen_queixes import GenQueixesWizard
from tramits.wizards.procedures.gen_representacio import GenRepresentacioWizard
from tramits.wizards.procedures.generic import GenericWizard
from tramits.wizards.procedures.padro_alta import PadroAltaWizard
from tramits.wizards.procedures.padro_autoritzacio import PadroAutoritzacioWizard
from tramits.wizards.procedures.padro_baixa import PadroBaixaWizard
from tramits.wizards.procedures.padro_canvi_domicili import PadroCanviDomiciliWizard
from tramits.wizards.procedures.padro_modificacio import PadroModificacioWizard
from tramits.wizards.procedures.padro_naixement import PadroNaixementWizard

DEDICATED: list[type[ProcedureWizard]] = [
    PadroAltaWizard,
    PadroNaixementWizard,
    PadroCanviDomiciliWizard,
    PadroModificacioWizard,
    PadroBaixaWizard,
    PadroAutoritzacioWizard,
    GenInstanciaWizard,
    GenQueixesWizard,
    GenAportacioWizard,
    GenRepresentacioWizard,
]


@cache
def wizard_classes() -> dict[str, type[ProcedureWizard]]:
    classes: dict[str, type[ProcedureWizard]] = {wizard.procedure_code: wizard for wizard in DEDICATED}
    for procedure in PROCEDURES:
        if procedure.online and procedure.code not in classes:
            classes[procedure.code] = GenericWizard.for_code(procedure.code)
    return classes


@cache
def _views() -> dict:
    return {code: wizard.view() for code, wizard in wizard_classes().items()}


def wizard_view(code: str):
    """The view of the code's wizard, or None when the procedure has no online form."""
    procedure = get_procedure(code)
    if procedure is None or not procedure.online:
        return None
    return _views().get(procedure.code)
