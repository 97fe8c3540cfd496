"""GEN-QUEIXES: complaints, suggestions and thanks."""

from django.utils.translation import gettext_lazy as _

from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import Date, LongText
from tramits.wizards.forms import ApplicantForm, Choice, DocumentsForm, Select, StepForm, Text, yes_no
from tramits.wizards.procedures.gen_instancia import department_choices

COMPLAINT, SUGGESTION, THANKS = "queixa", "suggeriment", "agraiment"


class KindForm(StepForm):
    title = _("Què ens voleu fer arribar")

    kind = Choice(
        label=_("Què ens voleu fer arribar?"),
        choices=[(COMPLAINT, _("Una queixa")), (SUGGESTION, _("Un suggeriment")), (THANKS, _("Un agraïment"))],
    )
    department = Select(label=_("Sobre quin servei"), choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices()


class DetailForm(StepForm):
    title = _("Els detalls")

    description = LongText(label=_("Expliqueu-nos-ho"))
    happened_on = Date(label=_("Quan va passar"), required=False, past=True)
    place = Text(label=_("On va passar"), required=False)
    wants_answer = yes_no(_("Voleu que us responguem per escrit?"))


class DocumentsOptionalForm(DocumentsForm):
    title = _("Fotografies o documents (opcional)")


class GenQueixesWizard(ProcedureWizard):
    procedure_code = "GEN-QUEIXES"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("tipus", KindForm),
        ("detall", DetailForm),
        ("documents", DocumentsOptionalForm),
        check_step(),
    ]
    prefill = {"motiu": ("tipus", "kind", {COMPLAINT: COMPLAINT, SUGGESTION: SUGGESTION, THANKS: THANKS})}

    def subject(self, form_dict) -> str:
        kind = form_dict["tipus"].cleaned_data["kind"]
        return {COMPLAINT: "Queixa", SUGGESTION: "Suggeriment", THANKS: "Agraïment"}[kind]
