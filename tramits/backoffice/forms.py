"""Forms of the staff screens: they check input and shape it; the services decide and write."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType, validate_document
from tramits.backoffice.uploads import DocumentFileField, MultipleDocumentFileField, staff_help_text
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import CODE_CHOICES, get_procedure
from tramits.catalogue.selectors import department_for_procedure
from tramits.expedients.filing import CONTRIBUTION_PROCEDURE
from tramits.expedients.models import ExpedientDocumentType, State, TaskKind, TaskState
from tramits.expedients.selectors import expedient_get
from tramits.registre.models import IdentificationMethod

TEXTAREA = {"rows": 5, "cols": 60}


class FieldGroup:
    """A few fields of a form, to render inside their own fieldset with the shared form component."""

    def __init__(self, form: forms.Form, legend: str, names: list[str], hint: str = "") -> None:
        self.form = form
        self.legend = legend
        self.names = names
        self.hint = hint
        self.prefix = form.prefix
        self.errors: dict = {}

    def visible_fields(self):
        return [self.form[name] for name in self.names]

    def hidden_fields(self):
        return []

    def non_field_errors(self):
        return []

    @property
    def has_errors(self) -> bool:
        return any(self.form[name].errors for name in self.names)


# Inbox ---------------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """Filters of the inbox, read from the query string."""

    q = forms.CharField(
        label=_("Cerca"),
        required=False,
        max_length=100,
        help_text=_("Número d'expedient, nom o document de l'interessat."),
    )
    state = forms.ChoiceField(label=_("Estat"), required=False, choices=[("", _("Tots")), *State.choices])
    procedure = forms.ChoiceField(label=_("Tràmit"), required=False, choices=[("", _("Tots")), *CODE_CHOICES])
    due_before = forms.DateField(
        label=_("Data màxima abans del"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


# Actions on an expedient ---------------------------------------------------------------------


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assigna a"),
        queryset=None,
        required=False,
        empty_label=_("Ningú (deixa'l sense assignar)"),
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.email


class StartForm(forms.Form):
    """Start working the expedient: iniciat → en tramitació."""


class CorrectionRequestForm(forms.Form):
    description = forms.CharField(
        label=_("Què ha d'esmenar o aportar l'interessat"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=5000,
    )
    document = DocumentFileField(
        label=_("Document del requeriment"),
        required=False,
    )


class CorrectionAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Resposta de l'interessat"),
        widget=forms.Textarea(attrs=TEXTAREA),
        required=False,
        max_length=5000,
    )
    documents = MultipleDocumentFileField(label=_("Documents aportats"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("documents"):
            raise ValidationError(_("Escriviu la resposta o adjunteu almenys un document."))
        return cleaned


class DocumentAddForm(forms.Form):
    title = forms.CharField(label=_("Títol del document"), max_length=250)
    document_type = forms.ChoiceField(
        label=_("Tipus documental"),
        choices=[
            (value, label)
            for value, label in ExpedientDocumentType.choices
            if value not in (ExpedientDocumentType.RESOLUTION, ExpedientDocumentType.REQUIREMENT)
        ],
        initial=ExpedientDocumentType.OTHER,
    )
    file = DocumentFileField(label=_("Fitxer"))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Nota"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=5000,
        help_text=_("La nota s'incorpora a l'expedient com a document, amb la data i el vostre nom."),
    )


class TaskRequestForm(forms.Form):
    to_department = forms.ModelChoiceField(label=_("Departament"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Què demaneu"), choices=TaskKind.choices, widget=forms.RadioSelect, initial=TaskKind.REPORT
    )
    description = forms.CharField(
        label=_("Descripció"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=5000,
        help_text=_("Què ha de fer o informar l'altre departament."),
    )
    business_days = forms.IntegerField(label=_("Termini (dies hàbils)"), min_value=1, max_value=90, initial=10)

    def __init__(self, *args, expedient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_department"].queryset = Department.objects.exclude(pk=expedient.department_id).order_by(
            "name_ca"
        )


class TaskAnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Resultat"),
        choices=[(TaskState.DONE, _("Fet")), (TaskState.REJECTED, _("Rebutjat"))],
        widget=forms.RadioSelect,
        initial=TaskState.DONE,
    )
    answer = forms.CharField(label=_("Resposta"), widget=forms.Textarea(attrs=TEXTAREA), max_length=5000)
    report = DocumentFileField(label=_("Informe"), required=False)
    report_title = forms.CharField(label=_("Títol de l'informe"), max_length=250, required=False)


class ResolveForm(forms.Form):
    title = forms.CharField(label=_("Títol"), max_length=250, initial=_("Resolució"))
    text = forms.CharField(
        label=_("Text de la resolució"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 60}),
        max_length=20000,
        help_text=_("Se'n genera el document de la resolució, amb codi segur de verificació."),
    )
    confirm = forms.BooleanField(
        label=_("Confirmo que vull resoldre l'expedient i registrar-ne la sortida. No es pot desfer."),
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("Observacions"), max_length=500, required=False)
    confirm = forms.BooleanField(label=_("Confirmo que vull arxivar l'expedient. No s'hi podrà fer res més."))


# Desk filing at the OAC ----------------------------------------------------------------------

APPLICANT_IDENTIFICATION = [
    (IdentificationMethod.IN_PERSON_ID, _("Document d'identitat original exhibit a l'OAC")),
    (IdentificationMethod.REPRESENTED, _("Per mitjà del representant, que és qui el presenta")),
]


class DeskFilingForm(forms.Form):
    """A paper filing at the citizens' desk: who files, what for, and the scanned documents."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, label=_("Clau del formulari"))

    applicant_name = forms.CharField(label=_("Nom i cognoms"), max_length=200)
    applicant_document_type = forms.ChoiceField(
        label=_("Tipus de document"), choices=DocumentType.choices, initial=DocumentType.DNI
    )
    applicant_document_number = forms.CharField(
        label=_("Número de document"), max_length=20, help_text=_("Per exemple 12345678Z o X1234567L.")
    )
    applicant_identified_by = forms.ChoiceField(
        label=_("Com s'ha identificat"),
        choices=APPLICANT_IDENTIFICATION,
        widget=forms.RadioSelect,
        initial=IdentificationMethod.IN_PERSON_ID,
    )

    representative_name = forms.CharField(label=_("Nom i cognoms del representant"), max_length=200, required=False)
    representative_document_type = forms.ChoiceField(
        label=_("Tipus de document del representant"), choices=DocumentType.choices, initial=DocumentType.DNI
    )
    representative_document_number = forms.CharField(
        label=_("Número de document del representant"), max_length=20, required=False
    )

    procedure_code = forms.ChoiceField(label=_("Tràmit"), choices=[("", _("Trieu un tràmit")), *CODE_CHOICES])
    expedient_number = forms.CharField(
        label=_("Número d'expedient"),
        max_length=30,
        required=False,
        help_text=_("Només per aportar documents a un expedient (GEN-APORTACIO). Per exemple EXP-2026-000123."),
    )
    subject = forms.CharField(label=_("Assumpte"), max_length=500, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    attachments = MultipleDocumentFileField(
        label=_("Documents escanejats"),
        help_text=format_lazy("{} {}", _("La sol·licitud signada i els documents que aporta."), staff_help_text(True)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        self._department: Department | None = None

    def fieldsets(self) -> list[FieldGroup]:
        return [
            FieldGroup(
                self,
                _("Persona interessada"),
                ["applicant_name", "applicant_document_type", "applicant_document_number", "applicant_identified_by"],
            ),
            FieldGroup(
                self,
                _("Representant (si n'hi ha)"),
                ["representative_name", "representative_document_type", "representative_document_number"],
                hint=_("Ompliu-ho només si presenta la sol·licitud una altra persona en nom de l'interessat."),
            ),
            FieldGroup(self, _("Sol·licitud"), ["procedure_code", "expedient_number", "subject"]),
            FieldGroup(self, _("Documents"), ["attachments"]),
        ]

    def _clean_document(self, prefix: str) -> None:
        number = self.cleaned_data.get(f"{prefix}_document_number") or ""
        document_type = self.cleaned_data.get(f"{prefix}_document_type")
        if not number or not document_type:
            return
        try:
            self.cleaned_data[f"{prefix}_document_number"] = validate_document(number, document_type)
        except ValidationError as error:
            self.add_error(f"{prefix}_document_number", error)

    def clean_procedure_code(self) -> str:
        procedure = get_procedure(self.cleaned_data["procedure_code"])
        if procedure is None:
            raise ValidationError(_("El codi de tràmit no existeix al catàleg."))
        if procedure.code != CONTRIBUTION_PROCEDURE:
            # A contribution goes to the department of the expedient it names, checked in clean().
            self._department = department_for_procedure(procedure_code=procedure.code)
            if self._department is None:
                raise ValidationError(_("Aquest tràmit no té cap departament responsable configurat."))
        return procedure.code

    def _clean_expedient_number(self) -> None:
        """Only GEN-APORTACIO names an expedient: it must exist and still take documents."""
        if self.cleaned_data.get("procedure_code") != CONTRIBUTION_PROCEDURE:
            self.cleaned_data["expedient_number"] = ""
            return
        number = (self.cleaned_data.get("expedient_number") or "").strip().upper()
        if not number:
            self.add_error("expedient_number", _("Per aportar documents, indiqueu el número de l'expedient."))
            return
        expedient = expedient_get(reference=number)
        if expedient is None:
            self.add_error("expedient_number", _("No hi ha cap expedient amb aquest número."))
        elif expedient.state == State.ARCHIVED:
            self.add_error("expedient_number", _("Aquest expedient està arxivat: no s'hi poden aportar documents."))
        else:
            self.cleaned_data["expedient_number"] = expedient.reference
            self._department = expedient.department

    def clean(self):
        cleaned = super().clean()
        self._clean_document("applicant")
        self._clean_expedient_number()
        has_representative = bool(
            (cleaned.get("representative_name") or "").strip() or (cleaned.get("representative_document_number") or "")
        )
        if has_representative:
            if not (cleaned.get("representative_name") or "").strip():
                self.add_error("representative_name", _("Cal el nom del representant."))
            if not cleaned.get("representative_document_number"):
                self.add_error("representative_document_number", _("Cal el document del representant."))
            self._clean_document("representative")
        elif cleaned.get("applicant_identified_by") == IdentificationMethod.REPRESENTED:
            self.add_error("representative_name", _("Si la presenta un representant, cal indicar qui és."))
        return cleaned

    @property
    def has_representative(self) -> bool:
        return bool((self.cleaned_data.get("representative_name") or "").strip())

    @property
    def department(self) -> Department:
        """The department that receives the filing: the procedure's, or for GEN-APORTACIO the expedient's."""
        return self._department
