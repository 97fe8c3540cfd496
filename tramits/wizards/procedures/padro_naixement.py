"""PADRO-NAIXEMENT: registering a newborn baby, with the consent of both parents or the custody ruling."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import Date
from tramits.wizards.forms import AddressForm, ApplicantForm, Choice, StepForm, Text
from tramits.wizards.procedures.padro_residence import answer
from tramits.wizards.uploads import UploadField

MY_ADDRESS, OTHER_ADDRESS = "el-meu", "un-altre"
BOTH_PARENTS, OTHER_CONSENTS, RULING, SOLE = "tots-dos", "autoritzacio", "resolucio", "unic"


class BabyForm(StepForm):
    title = _("El nadó")

    first_name = Text(label=_("Nom del nadó"), max_length=80)
    surnames = Text(label=_("Cognoms del nadó"), max_length=120)
    birth_date = Date(label=_("Data de naixement"), past=True)
    sex = Choice(label=_("Sexe"), choices=[("dona", _("Dona")), ("home", _("Home"))])
    birthplace = Text(label=_("Lloc de naixement"), max_length=100, help_text=_("Municipi, i país si no és Espanya."))

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if (timezone.localdate() - born).days > 366:
            raise ValidationError(
                _("Aquest tràmit és per a nadons de menys d'un any. Per a infants més grans, feu l'alta al padró."),
                code="too_old",
            )
        return born


class HomeForm(StepForm):
    title = _("On viurà el nadó")

    home = Choice(
        label=_("On viurà el nadó?"),
        choices=[
            (MY_ADDRESS, _("Amb mi, a l'adreça on estic empadronat/ada")),
            (OTHER_ADDRESS, _("A una altra adreça de Lleida")),
        ],
    )


class ParentsForm(StepForm):
    title = _("Els progenitors")

    consent = Choice(
        label=_("Com consta el consentiment dels progenitors?"),
        choices=[
            (BOTH_PARENTS, _("Tots dos vivim a la mateixa adreça que el nadó")),
            (OTHER_CONSENTS, _("L'altre progenitor hi està d'acord (adjunto la seva autorització)")),
            (RULING, _("Una resolució judicial regula la guarda (l'adjunto)")),
            (SOLE, _("Només consta un progenitor")),
        ],
    )
    other_parent_name = Text(label=_("Nom i cognoms de l'altre progenitor"), required=False)
    consent_document = UploadField(label=_("Autorització o resolució"), required=False)

    def clean(self):
        cleaned = super().clean()
        consent = cleaned.get("consent")
        if consent in {BOTH_PARENTS, OTHER_CONSENTS} and not cleaned.get("other_parent_name"):
            self.add_error("other_parent_name", _("Escriviu el nom de l'altre progenitor."))
        if consent in {OTHER_CONSENTS, RULING} and not cleaned.get("consent_document"):
            self.add_error("consent_document", _("Adjunteu l'autorització o la resolució."))
        return cleaned


class BirthDocumentForm(StepForm):
    title = _("Document del naixement")

    birth_document = UploadField(
        label=_("Llibre de família o certificat de naixement"),
        help_text=_("La pàgina on consta el nadó."),
    )


class PadroNaixementWizard(ProcedureWizard):
    procedure_code = "PADRO-NAIXEMENT"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("nado", BabyForm),
        ("domicili", HomeForm),
        ("adreca", AddressForm),
        ("progenitors", ParentsForm),
        ("document", BirthDocumentForm),
        check_step(),
    ]
    condition_dict = {"adreca": lambda wizard: answer(wizard, "domicili", "home") == OTHER_ADDRESS}
