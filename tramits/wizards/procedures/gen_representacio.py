"""GEN-REPRESENTACIO: registering that the applicant acts for another person."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType, validate_document
from tramits.catalogue.procedures import PROCEDURES
from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import Date
from tramits.wizards.forms import ApplicantForm, Choice, Select, StepForm, Text
from tramits.wizards.procedures.padro_residence import answer
from tramits.wizards.uploads import UploadField

ALL, ONE = "tots", "un"


class RepresentedForm(StepForm):
    title = _("La persona que representeu")

    full_name = Text(label=_("Nom i cognoms"))
    document_type = Choice(label=_("Tipus de document"), choices=DocumentType.choices)
    document_number = Text(label=_("Número del document"), max_length=20)
    email = Text(label=_("Correu electrònic"), max_length=254, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("document_number") and cleaned.get("document_type"):
            try:
                cleaned["document_number"] = validate_document(cleaned["document_number"], cleaned["document_type"])
            except ValidationError as error:
                self.add_error("document_number", error)
        applicant = (self.wizard.get_cleaned_data_for_step("sollicitant") or {}) if self.wizard else {}
        if cleaned.get("document_number") and cleaned["document_number"] == applicant.get("document_number"):
            self.add_error("document_number", _("No podeu representar-vos a vós mateix/a."))
        return cleaned


class ScopeForm(StepForm):
    title = _("Per a què la representeu")

    scope = Choice(
        label=_("Per a quins tràmits la representeu?"),
        choices=[(ALL, _("Per a tots els tràmits amb l'Ajuntament")), (ONE, _("Només per a un tràmit"))],
    )
    procedure = Select(label=_("Quin tràmit"), choices=[], required=False)
    valid_until = Date(label=_("Fins quan"), required=False, help_text=_("Si no ho indiqueu, fins que es revoqui."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Trieu el tràmit"))] + [
            (procedure.code, procedure.title_ca) for procedure in PROCEDURES if procedure.code != "GEN-REPRESENTACIO"
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == ONE and not cleaned.get("procedure"):
            self.add_error("procedure", _("Trieu el tràmit per al qual la representeu."))
        if cleaned.get("valid_until") and cleaned["valid_until"] <= timezone.localdate():
            self.add_error("valid_until", _("La data ha de ser posterior a avui."))
        return cleaned


class RepresentationDocumentForm(StepForm):
    title = _("L'autorització")

    authorisation = UploadField(
        label=_("Autorització signada per la persona representada"),
        help_text=_("Amb la signatura de la persona representada, o el poder notarial."),
    )
    identity_copy = UploadField(label=_("Còpia del document d'identitat de la persona representada"), required=False)


class GenRepresentacioWizard(ProcedureWizard):
    procedure_code = "GEN-REPRESENTACIO"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("representat", RepresentedForm),
        ("abast", ScopeForm),
        ("autoritzacio", RepresentationDocumentForm),
        check_step(),
    ]
    prefill = {}

    def filing_extra(self, form_dict) -> dict:
        scope = answer(self, "abast", "scope")
        return {"representation_scope": scope}
