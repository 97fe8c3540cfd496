"""GEN-INSTANCIA: a general application to any department (exposo / sol·licito)."""

from django.utils.translation import gettext_lazy as _

from tramits.catalogue.procedures import DEPARTMENTS
from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import LongText
from tramits.wizards.forms import ApplicantForm, DocumentsForm, Select, StepForm, Text


def department_choices():
    return [("", _("No ho sé: que ho decideixi el Registre General"))] + [
        (code, name_ca) for code, _dir3, name_ca, *_names in DEPARTMENTS
    ]


class ApplicationForm(StepForm):
    title = _("La sol·licitud")

    subject = Text(label=_("Assumpte"), help_text=_("En una frase, què demaneu."))
    facts = LongText(label=_("Exposo"), help_text=_("Els fets i els motius de la sol·licitud."))
    request = LongText(label=_("Sol·licito"), max_length=2000, help_text=_("Què demaneu exactament a l'Ajuntament."))
    department = Select(label=_("A quin departament s'adreça"), choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices()


class GenInstanciaWizard(ProcedureWizard):
    procedure_code = "GEN-INSTANCIA"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("sollicitud", ApplicationForm),
        ("documents", DocumentsForm),
        check_step(),
    ]

    def subject(self, form_dict) -> str:
        return f"{self.procedure.title_ca}: {form_dict['sollicitud'].cleaned_data['subject']}"

    def filing_extra(self, form_dict) -> dict:
        """The department the citizen addressed it to; without one, the general register decides."""
        department = form_dict["sollicitud"].cleaned_data.get("department")
        return {"department": department} if department else {}
