"""GEN-APORTACIO: documents for one of the citizen's own expedients, usually to answer a correction request."""

import re

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tramits.expedients.models import OPEN_STATES, CorrectionRequest, CorrectionState
from tramits.expedients.selectors import expedients_of_citizen
from tramits.wizards.base import ProcedureWizard, check_step
from tramits.wizards.fields import LongText
from tramits.wizards.forms import ApplicantForm, Select, StepForm
from tramits.wizards.uploads import UploadField

REFERENCE = re.compile(r"^EXP-\d{4}-\d{6}$")


def expedient_choices(user) -> list[tuple[str, str]]:
    """The citizen's open expedients, those with a pending correction request first, with its deadline."""
    expedients = list(expedients_of_citizen(user=user).filter(state__in=OPEN_STATES)[:200])
    pending = {
        correction.expedient_id: correction
        for correction in CorrectionRequest.objects.filter(expedient__in=expedients, state=CorrectionState.PENDING)
    }
    choices = []
    for expedient in sorted(expedients, key=lambda item: (item.pk not in pending, item.reference)):
        label = f"{expedient.reference} — {expedient.subject}"
        if expedient.pk in pending:
            deadline = formats.date_format(pending[expedient.pk].deadline, "SHORT_DATE_FORMAT")
            label += " · " + str(_("requeriment pendent fins al %(date)s") % {"date": deadline})
        choices.append((expedient.reference, label))
    return choices


class ExpedientForm(StepForm):
    title = _("L'expedient")

    expedient = Select(label=_("A quin expedient aporteu documents?"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.wizard.request.user if self.wizard is not None else None
        choices = expedient_choices(user) if user is not None else []
        self.fields["expedient"].choices = [("", _("Trieu l'expedient")), *choices]
        if not choices:
            self.fields["expedient"].help_text = _(
                "No teniu cap expedient obert. Si voleu presentar documents per a un altre tràmit, "
                "feu una instància genèrica."
            )

    def clean_expedient(self):
        reference = self.cleaned_data["expedient"]
        if not REFERENCE.match(reference):
            raise ValidationError(_("Trieu una de les opcions de la llista."), code="invalid_choice")
        return reference


class ContributionForm(StepForm):
    title = _("Documents i nota")

    note = LongText(
        label=_("Nota per a la persona que tramita l'expedient"),
        max_length=2000,
        required=False,
        help_text=_("Per exemple, què aporteu i a quin punt del requeriment respon."),
    )
    document_1 = UploadField(label=_("Document"))
    document_2 = UploadField(label=_("Un altre document"), required=False)
    document_3 = UploadField(label=_("Un altre document"), required=False)


class GenAportacioWizard(ProcedureWizard):
    procedure_code = "GEN-APORTACIO"
    form_list = [
        ("sollicitant", ApplicantForm),
        ("expedient", ExpedientForm),
        ("documents", ContributionForm),
        check_step(),
    ]

    def extra_prefill(self, query) -> dict[str, str]:
        reference = (query.get("expedient") or "").strip().upper()
        return {"expedient": reference} if REFERENCE.match(reference) else {}

    def get_form_initial(self, step):
        initial = super().get_form_initial(step)
        reference = (self.storage.extra_data.get("prefill") or {}).get("expedient")
        if step == "expedient" and reference:
            initial["expedient"] = reference
        return initial

    def subject(self, form_dict) -> str:
        return f"{self.procedure.title_ca}: {form_dict['expedient'].cleaned_data['expedient']}"

    def filing_extra(self, form_dict) -> dict:
        return {"expedient_number": form_dict["expedient"].cleaned_data["expedient"]}
