"""PADRO-BAIXA: removal from the register (moving abroad, a death, people who no longer live here)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import validate_document
from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import Date, LongText
from tramits.wizards.forms import AddressForm, ApplicantForm, Choice, StepForm, Text
from tramits.wizards.procedures.padro_residence import answer
from tramits.wizards.uploads import UploadField

ABROAD, DEATH, NOT_LIVING = "estranger", "defuncio", "no-hi-viu"


class ReasonForm(StepForm):
    title = _("Motiu de la baixa")

    reason = Choice(
        label=_("Per què es demana la baixa?"),
        choices=[
            (ABROAD, _("Me'n vaig a viure a l'estranger")),
            (DEATH, _("Ha mort una persona empadronada amb mi")),
            (NOT_LIVING, _("Hi ha persones empadronades a casa meva que ja no hi viuen")),
        ],
    )


class PersonForm(StepForm):
    title = _("La persona que es dona de baixa")

    full_name = Text(label=_("Nom i cognoms"))
    document_number = Text(label=_("DNI, NIE o passaport"), max_length=20, required=False)
    birth_date = Date(label=_("Data de naixement"), required=False, past=True)

    def clean_document_number(self):
        number = self.cleaned_data["document_number"]
        return validate_document(number) if number else number


class AbroadForm(StepForm):
    title = _("El trasllat a l'estranger")

    country = Text(label=_("País on aneu a viure"), max_length=60)
    moving_on = Date(label=_("Data del trasllat"))
    consulate = Text(label=_("Consolat on us inscriureu"), max_length=100, required=False)


class DeathForm(StepForm):
    title = _("La defunció")

    died_on = Date(label=_("Data de la defunció"), past=True)
    death_certificate = UploadField(
        label=_("Certificat de defunció"),
        required=False,
        help_text=_("Si no el teniu, el Registre Civil ens comunica la defunció; la baixa pot trigar més."),
    )


class NotLivingForm(StepForm):
    title = _("Persones que ja no hi viuen")

    explanation = LongText(label=_("Des de quan no hi viu i què en sabeu"), max_length=2000)

    def clean_explanation(self):
        text = self.cleaned_data["explanation"]
        if len(text.split()) < 3:
            raise ValidationError(_("Expliqueu-ho una mica més, perquè puguem comprovar-ho."), code="too_short")
        return text


class PadroBaixaWizard(ProcedureWizard):
    procedure_code = "PADRO-BAIXA"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("motiu", ReasonForm),
        ("persona", PersonForm),
        ("trasllat", AbroadForm),
        ("defuncio", DeathForm),
        ("no-hi-viu", NotLivingForm),
        ("adreca", AddressForm),
        check_step(),
    ]
    condition_dict = {
        "trasllat": lambda wizard: answer(wizard, "motiu", "reason") == ABROAD,
        "defuncio": lambda wizard: answer(wizard, "motiu", "reason") == DEATH,
        "no-hi-viu": lambda wizard: answer(wizard, "motiu", "reason") == NOT_LIVING,
    }
    prefill = {"motiu": ("motiu", "reason", {ABROAD: ABROAD, DEATH: DEATH, NOT_LIVING: NOT_LIVING})}
