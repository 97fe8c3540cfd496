"""PADRO-AUTORITZACIO: the householder (or a person registered there) authorises someone to register."""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import validate_document
from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import Date
from tramits.wizards.forms import AddressForm, ApplicantForm, Choice, StepForm, Text
from tramits.wizards.uploads import UploadField

AUTHORISED_SLOTS = 3


class HomeForm(AddressForm):
    title = _("L'habitatge")

    capacity = Choice(
        label=_("Quina relació teniu amb l'habitatge?"),
        choices=[
            ("propietari", _("En sóc propietari/ària")),
            ("llogater", _("Hi visc de lloguer")),
            ("empadronat", _("Hi estic empadronat/ada")),
        ],
    )


class AuthorisedPeopleForm(StepForm):
    title = _("Persones que autoritzeu")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, AUTHORISED_SLOTS + 1):
            required = slot == 1
            self.fields[f"name_{slot}"] = Text(
                label=format_lazy(_("Persona {n}: nom i cognoms"), n=slot), required=required
            )
            self.fields[f"document_{slot}"] = Text(
                label=format_lazy(_("Persona {n}: DNI, NIE o passaport"), n=slot), max_length=20, required=False
            )
            self.fields[f"birth_date_{slot}"] = Date(
                label=format_lazy(_("Persona {n}: data de naixement"), n=slot), required=required, past=True
            )

    def clean(self):
        cleaned = super().clean()
        for slot in range(1, AUTHORISED_SLOTS + 1):
            if cleaned.get(f"document_{slot}"):
                try:
                    cleaned[f"document_{slot}"] = validate_document(cleaned[f"document_{slot}"])
                except ValidationError as error:
                    self.add_error(f"document_{slot}", error)
            if cleaned.get(f"name_{slot}") and not cleaned.get(f"birth_date_{slot}") and slot > 1:
                self.add_error(f"birth_date_{slot}", _("Escriviu la data de naixement d'aquesta persona."))
        return cleaned


class AuthorisationDocumentForm(StepForm):
    title = _("Documents")

    signed_authorisation = UploadField(
        label=_("Autorització signada (opcional)"),
        required=False,
        help_text=_("No cal: aquesta sol·licitud ja és la vostra autorització. No cal cap títol de propietat."),
    )


class PadroAutoritzacioWizard(ProcedureWizard):
    procedure_code = "PADRO-AUTORITZACIO"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("habitatge", HomeForm),
        ("persones", AuthorisedPeopleForm),
        ("documents", AuthorisationDocumentForm),
        check_step(),
    ]
