"""Step forms shared by every procedure: the applicant, documents, the address and the final check."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType, validate_document
from tramits.wizards.fields import YES_NO, Choice, LongText, Select, Text
from tramits.wizards.streets import street_choices, street_name
from tramits.wizards.uploads import UploadField

NUMBER_HINT = _("Per exemple 12, 12 bis o s/n.")
MYSELF = "jo"


class StepForm(forms.Form):
    """A wizard step: a title for the progress and the check page, and the wizard at hand."""

    title = ""
    required_css_class = "required"

    def __init__(self, *args, wizard=None, **kwargs):
        self.wizard = wizard
        super().__init__(*args, **kwargs)

    def display_items(self) -> list[tuple[str, str, str]]:
        """(field name, label, value as the citizen reads it) for the check page and the submission."""
        items = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", [], False) and not field.required:
                continue
            items.append((name, str(field.label), display_value(field, value)))
        return items

    def answers(self) -> dict:
        """The cleaned data as JSON values (dates in ISO format, files by name)."""
        values = {}
        for name, value in self.cleaned_data.items():
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif hasattr(value, "read"):
                value = value.name
            values[name] = value
        return values


def display_value(field: forms.Field, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(field, forms.BooleanField):
        return str(_("Sí")) if value else str(_("No"))
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "read"):
        return value.name
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class ApplicantForm(StepForm):
    """Who files: taken from the profile; the identity fields are locked when the profile has them."""

    title = _("Les vostres dades")

    full_name = Text(label=_("Nom i cognoms"))
    document_type = Choice(label=_("Tipus de document d'identitat"), choices=DocumentType.choices)
    document_number = Text(
        label=_("Número del document"), max_length=20, help_text=_("DNI o NIE amb la lletra, o número de passaport.")
    )
    email = forms.EmailField(
        label=_("Correu electrònic per als avisos"),
        max_length=254,
        error_messages={"invalid": _("Escriviu una adreça de correu vàlida, per exemple nom@exemple.cat.")},
    )
    phone = Text(label=_("Telèfon"), max_length=20, required=False)

    def __init__(self, *args, wizard=None, **kwargs):
        super().__init__(*args, wizard=wizard, **kwargs)
        user = wizard.request.user if wizard is not None else None
        self.representations = wizard.representations() if wizard is not None else []
        if self.representations:
            # Only the people whose accepted representation in force covers this procedure can be chosen.
            self.fields["acting_for"] = Choice(
                label=_("En nom de qui presenteu la sol·licitud?"),
                choices=[
                    (MYSELF, _("En nom meu")),
                    *[
                        (str(item.pk), format_lazy(_("En nom de {name}, que represento"), name=item.represented_name))
                        for item in self.representations
                    ],
                ],
                initial=MYSELF,
            )
        if user is not None and user.is_authenticated:
            self.initial = {
                "full_name": user.get_full_name(),
                "document_type": user.document_type,
                "document_number": user.document_number or "",
                "email": user.notification_email or user.email,
                "phone": user.phone,
                **self.initial,
            }
            if user.get_full_name() and user.document_number and user.document_type:
                # Tamper-proof: disabled fields take the profile's values whatever is posted.
                for name in ("full_name", "document_type", "document_number"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Dada del vostre perfil. Per canviar-la, aneu al vostre perfil.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("document_number") and cleaned.get("document_type"):
            try:
                cleaned["document_number"] = validate_document(cleaned["document_number"], cleaned["document_type"])
            except ValidationError as error:
                self.add_error("document_number", error)
        return cleaned

    def represented(self):
        """The representation the citizen acts under, or None when they file for themselves."""
        chosen = self.cleaned_data.get("acting_for") or MYSELF
        return next((item for item in self.representations if str(item.pk) == chosen), None)


class AddressForm(StepForm):
    """An address in Lleida, the street chosen from the street list."""

    title = _("La nova adreça")

    street = Select(label=_("Carrer"), choices=[])
    number = Text(label=_("Número"), max_length=10, help_text=NUMBER_HINT)
    block = Text(label=_("Bloc o escala"), max_length=10, required=False)
    floor = Text(label=_("Pis"), max_length=10, required=False)
    door = Text(label=_("Porta"), max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("Trieu el carrer")), *street_choices()]

    def clean_number(self):
        number = " ".join(self.cleaned_data["number"].split())
        if not any(char.isdigit() for char in number) and number.lower() not in {"s/n", "sn"}:
            raise ValidationError(_("Escriviu el número del carrer, o s/n si no en té."), code="number")
        return number

    def answers(self) -> dict:
        values = super().answers()
        values["street_name"] = street_name(values.get("street", ""))
        return values


class DocumentsForm(StepForm):
    """Up to three documents, optional unless `first_required`."""

    title = _("Documents")
    first_required = False

    document_1 = UploadField(label=_("Document"), required=False)
    document_2 = UploadField(label=_("Un altre document"), required=False)
    document_3 = UploadField(label=_("Un altre document"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_1"].required = self.first_required


class CheckForm(StepForm):
    """The check-your-answers page: the answers are shown above; this is the declaration."""

    title = _("Reviseu les respostes")

    declaration = forms.BooleanField(
        label=_("Declaro que les dades que he indicat són certes i que els documents són còpia fidel dels originals."),
        error_messages={"required": _("Cal que confirmeu la declaració per enviar la sol·licitud.")},
    )

    def display_items(self):
        return []


def yes_no(label, **kwargs) -> Choice:
    return Choice(label=label, choices=YES_NO, **kwargs)


__all__ = [
    "AddressForm",
    "ApplicantForm",
    "CheckForm",
    "Choice",
    "DocumentsForm",
    "LongText",
    "Select",
    "StepForm",
    "Text",
    "yes_no",
]
