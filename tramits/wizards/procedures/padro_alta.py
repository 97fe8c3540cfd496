"""PADRO-ALTA: registering as a resident when coming from another town or from abroad."""

from django.utils.translation import gettext_lazy as _

from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.forms import AddressForm, ApplicantForm, Choice, StepForm, Text
from tramits.wizards.procedures.padro_residence import (
    ONLY_ME,
    RESIDENCE_CONDITIONS,
    RESIDENCE_EVIDENCE_STEPS,
    MinorsConsentForm,
    PeopleForm,
    WhoForm,
)

FROM_TOWN, FROM_ABROAD = "altre-municipi", "estranger"


class OriginForm(StepForm):
    title = _("D'on veniu")

    origin = Choice(
        label=_("On vivíeu abans de venir a Lleida?"),
        choices=[(FROM_TOWN, _("En un altre municipi d'Espanya")), (FROM_ABROAD, _("A l'estranger"))],
    )
    previous_municipality = Text(label=_("Municipi"), required=False, help_text=_("Per exemple: Balaguer."))
    previous_province = Text(label=_("Província"), max_length=60, required=False)
    previous_country = Text(label=_("País"), max_length=60, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("origin") == FROM_TOWN:
            if not cleaned.get("previous_municipality"):
                self.add_error("previous_municipality", _("Escriviu el municipi on vivíeu."))
            if not cleaned.get("previous_province"):
                self.add_error("previous_province", _("Escriviu la província on vivíeu."))
        elif cleaned.get("origin") == FROM_ABROAD and not cleaned.get("previous_country"):
            self.add_error("previous_country", _("Escriviu el país on vivíeu."))
        return cleaned


class PadroAltaWizard(ProcedureWizard):
    procedure_code = "PADRO-ALTA"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("qui", WhoForm),
        ("persones", PeopleForm),
        ("menors", MinorsConsentForm),
        ("procedencia", OriginForm),
        ("adreca", AddressForm),
        *RESIDENCE_EVIDENCE_STEPS,
        check_step(),
    ]
    condition_dict = RESIDENCE_CONDITIONS
    prefill = {
        "ambit": ("procedencia", "origin", {FROM_TOWN: FROM_TOWN, "estranger": FROM_ABROAD}),
        "persona": ("qui", "who", {"jo": ONLY_ME, "menor": "altres"}),
    }
