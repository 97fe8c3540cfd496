"""The wizard shared by the catalogue procedures without their own: subject, description, documents.

`GENERIC_PROCEDURES` configures, per code, the hint of the description and whether a document
is required; any other online code of the catalogue gets the defaults.
"""

from django.utils.translation import gettext_lazy as _

from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import LongText
from tramits.wizards.forms import ApplicantForm, DocumentsForm, StepForm, Text

GENERIC_PROCEDURES: dict[str, dict] = {
    "MOB-TARGETA-APARCAMENT": {
        "description_hint": _("Indiqueu el grau de discapacitat i si conduïu el vehicle o us hi porten."),
        "documents_hint": _("El certificat de discapacitat i el dictamen de mobilitat reduïda."),
        "document_required": True,
    },
    "MOB-GUAL": {
        "description_hint": _("L'adreça de l'entrada, l'amplada en metres i per a quants vehicles és."),
        "documents_hint": _("Un plànol o una fotografia de l'entrada."),
        "document_required": True,
    },
    "URB-OBRES-MENORS": {
        "description_hint": _("Quines obres fareu, on, quan comencen i quant duraran."),
        "documents_hint": _("El pressupost de les obres."),
        "document_required": True,
    },
    "HIS-BONIFICACIO-IBI": {
        "description_hint": _("La referència cadastral de l'habitatge i el número del títol de família nombrosa."),
        "documents_hint": _("El títol de família nombrosa vigent."),
        "document_required": True,
    },
    "HIS-DOMICILIACIO": {
        "description_hint": _("Quins tributs voleu domiciliar i l'IBAN del compte."),
        "documents_hint": _("Un certificat de titularitat del compte (opcional)."),
        "document_required": False,
    },
    "EDU-ESCOLA-BRESSOL": {
        "description_hint": _(
            "El nom de l'infant, la data de naixement i les escoles bressol per ordre de preferència."
        ),
        "documents_hint": _("El llibre de família."),
        "document_required": True,
    },
    "SOC-AJUT-URGENCIA": {
        "description_hint": _("Quina necessitat urgent teniu i qui viu amb vós."),
        "documents_hint": _("Els documents que en donin compte (opcional)."),
        "document_required": False,
    },
    "MED-RECOLLIDA-MOBLES": {
        "description_hint": _("Quins mobles o voluminosos, quants i l'adreça on els recollirem."),
        "documents_hint": _("Una fotografia (opcional)."),
        "document_required": False,
    },
    "VIA-TERRASSA": {
        "description_hint": _("L'establiment, l'adreça, els metres quadrats i el nombre de taules."),
        "documents_hint": _("Un croquis de la terrassa."),
        "document_required": True,
    },
}


class GenericRequestForm(StepForm):
    title = _("La sol·licitud")

    subject = Text(label=_("Assumpte"), help_text=_("En una frase, què demaneu."))
    description = LongText(label=_("Descripció"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hint = self.wizard.options.get("description_hint") if self.wizard is not None else None
        if hint:
            self.fields["description"].help_text = hint


class GenericDocumentsForm(DocumentsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = self.wizard.options if self.wizard is not None else {}
        self.fields["document_1"].required = bool(options.get("document_required"))
        if options.get("documents_hint"):
            self.fields["document_1"].help_text = options["documents_hint"]


class GenericWizard(ProcedureWizard):
    """Configured per code by `for_code`."""

    form_list = [
        ("sollicitant", ApplicantForm),
        ("sollicitud", GenericRequestForm),
        ("documents", GenericDocumentsForm),
        check_step(),
    ]
    options: dict = {}

    @classmethod
    def for_code(cls, code: str) -> type["GenericWizard"]:
        name = "".join(part.capitalize() for part in code.split("-")) + "Wizard"
        return type(name, (cls,), {"procedure_code": code, "options": GENERIC_PROCEDURES.get(code, {})})

    def subject(self, form_dict) -> str:
        return f"{self.procedure.title_ca}: {form_dict['sollicitud'].cleaned_data['subject']}"
