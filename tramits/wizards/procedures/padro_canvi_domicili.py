"""PADRO-CANVI-DOMICILI: moving to another address within Lleida."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import Date
from tramits.wizards.forms import AddressForm, ApplicantForm, Choice, StepForm
from tramits.wizards.procedures.padro_residence import (
    ONLY_ME,
    RESIDENCE_CONDITIONS,
    RESIDENCE_EVIDENCE_STEPS,
    MinorsConsentForm,
    PeopleForm,
    WhoForm,
)

WITHIN, ELSEWHERE = "lleida", "altre-municipi"


class ScopeForm(StepForm):
    title = _("On us traslladeu")

    scope = Choice(
        label=_("On és el nou domicili?"),
        choices=[(WITHIN, _("A Lleida: canvio d'adreça dins de la ciutat")), (ELSEWHERE, _("En un altre municipi"))],
    )
    moved_on = Date(label=_("Data en què hi vau començar a viure"), required=False, past=True)

    def clean_scope(self):
        scope = self.cleaned_data["scope"]
        if scope == ELSEWHERE:
            raise ValidationError(
                _(
                    "Si us en aneu a un altre municipi, l'alta la feu al padró del nou municipi, que ens comunicarà "
                    "la baixa. No cal fer aquest tràmit."
                ),
                code="elsewhere",
            )
        return scope


class PadroCanviDomiciliWizard(ProcedureWizard):
    procedure_code = "PADRO-CANVI-DOMICILI"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("ambit", ScopeForm),
        ("qui", WhoForm),
        ("persones", PeopleForm),
        ("menors", MinorsConsentForm),
        ("adreca", AddressForm),
        *RESIDENCE_EVIDENCE_STEPS,
        check_step(),
    ]
    condition_dict = RESIDENCE_CONDITIONS
    prefill = {
        "ambit": ("ambit", "scope", {"lleida": WITHIN}),
        "persona": ("qui", "who", {"jo": ONLY_ME, "menor": "altres"}),
    }
