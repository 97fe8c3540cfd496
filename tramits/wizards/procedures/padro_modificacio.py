"""PADRO-MODIFICACIO: correcting or updating personal data in the register."""

from django.utils.translation import gettext_lazy as _

from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import Date, LongText
from tramits.wizards.forms import ApplicantForm, Choice, StepForm, Text
from tramits.wizards.procedures.padro_residence import answer
from tramits.wizards.uploads import UploadField

DATA, DOCUMENT, NATIONALITY = "dades", "document", "nacionalitat"


class ReasonForm(StepForm):
    title = _("Què voleu modificar")

    reason = Choice(
        label=_("Què voleu modificar?"),
        choices=[
            (DATA, _("Nom, cognoms, sexe o dades de naixement")),
            (DOCUMENT, _("El document d'identitat (nou DNI, NIE o passaport)")),
            (NATIONALITY, _("La nacionalitat")),
        ],
    )
    person = Choice(
        label=_("De qui són les dades?"),
        choices=[
            ("jo", _("Meves")),
            ("menor", _("D'un menor al meu càrrec")),
            ("altra", _("D'una persona que represento")),
        ],
    )


class PersonalDataForm(StepForm):
    title = _("Les dades correctes")

    first_name = Text(label=_("Nom"), max_length=80, required=False)
    surnames = Text(label=_("Cognoms"), max_length=120, required=False)
    birth_date = Date(label=_("Data de naixement"), required=False, past=True)
    birthplace = Text(label=_("Lloc de naixement"), max_length=100, required=False)
    explanation = LongText(label=_("Què s'ha de corregir i per què"), max_length=1000)


class NewDocumentForm(StepForm):
    title = _("El nou document")

    document_number = Text(label=_("Número del nou document"), max_length=20)
    expires_on = Date(label=_("Data de caducitat"), required=False)


class NationalityForm(StepForm):
    title = _("La nova nacionalitat")

    nationality = Text(label=_("Nacionalitat"), max_length=60)
    since = Date(label=_("Des de quan"), required=False, past=True)


class SupportingDocumentForm(StepForm):
    title = _("Document que ho acredita")

    supporting_document = UploadField(
        label=_("Document que acredita la modificació"),
        help_text=_("El DNI, NIE o passaport nou, o el certificat de nacionalitat o del Registre Civil."),
    )


class PadroModificacioWizard(ProcedureWizard):
    procedure_code = "PADRO-MODIFICACIO"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("motiu", ReasonForm),
        ("dades", PersonalDataForm),
        ("nou-document", NewDocumentForm),
        ("nacionalitat", NationalityForm),
        ("document", SupportingDocumentForm),
        check_step(),
    ]
    condition_dict = {
        "dades": lambda wizard: answer(wizard, "motiu", "reason") == DATA,
        "nou-document": lambda wizard: answer(wizard, "motiu", "reason") == DOCUMENT,
        "nacionalitat": lambda wizard: answer(wizard, "motiu", "reason") == NATIONALITY,
    }
    prefill = {
        "motiu": ("motiu", "reason", {DATA: DATA, DOCUMENT: DOCUMENT, NATIONALITY: NATIONALITY}),
        "persona": ("motiu", "person", {"jo": "jo", "menor": "menor", "altra": "altra"}),
    }
