"""Account forms: sign-up (on top of allauth's) and the citizen profile."""

from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType, guess_type, validate_document
from tramits.accounts.selectors import document_number_taken
from tramits.accounts.validators import (
    normalise_phone,
    validate_multi_line_text,
    validate_one_line_text,
    validate_person_name,
)

DOCUMENT_IN_USE = _(
    "Aquest número de document ja és en un altre compte. Si és el vostre, adreceu-vos a l'Oficina d'Atenció Ciutadana."
)


def active_language() -> str:
    """The active interface language if we offer it, otherwise the default one."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def first_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Nom"),
        max_length=150,
        validators=[validate_person_name],
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )


def last_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Cognoms"),
        max_length=150,
        validators=[validate_person_name],
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )


def language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Idioma de les comunicacions"),
        help_text=_("L'idioma dels correus i dels avisos que us enviarem."),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )


class LabelsNotPlaceholders:
    """allauth puts placeholders in place of labels; our renderer shows real labels and hints."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class LoginForm(LabelsNotPlaceholders, allauth_forms.LoginForm):
    """allauth's login form."""


class ResetPasswordForm(LabelsNotPlaceholders, allauth_forms.ResetPasswordForm):
    """allauth's form to ask for a password reset link."""


class ResetPasswordKeyForm(LabelsNotPlaceholders, allauth_forms.ResetPasswordKeyForm):
    """allauth's form to choose a new password from a reset link."""


class ChangePasswordForm(LabelsNotPlaceholders, allauth_forms.ChangePasswordForm):
    """allauth's form to change the password."""


class SignupForm(LabelsNotPlaceholders, allauth_forms.SignupForm):
    """allauth's sign-up with the full name and the language of communications."""

    field_order = ["first_name", "last_name", "email", "password1", "password2", "language"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"] = first_name_field()
        self.fields["last_name"] = last_name_field()
        self.fields["language"] = language_field()
        self.fields["language"].initial = active_language()
        self.order_fields(self.field_order)


class ProfileForm(forms.Form):
    """The citizen's profile; the clean values are ready for `user_profile_update`."""

    first_name = first_name_field()
    last_name = last_name_field()
    document_type = forms.ChoiceField(
        label=_("Tipus de document d'identitat"),
        choices=[("", _("Cap")), *DocumentType.choices],
        required=False,
    )
    document_number = forms.CharField(
        label=_("Número de document"),
        help_text=_("DNI, NIE o passaport, amb la lletra. Per exemple 12345678Z o X1234567L."),
        max_length=30,
        required=False,
        validators=[validate_one_line_text],
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Telèfon"),
        help_text=_("Per exemple 973 700 300, o amb el prefix del país si no és d'Espanya."),
        max_length=30,
        required=False,
        validators=[validate_one_line_text],
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
    )
    postal_address = forms.CharField(
        label=_("Adreça postal"),
        help_text=_("Carrer, número, pis i porta, codi postal i municipi."),
        max_length=500,
        required=False,
        validators=[validate_multi_line_text],
        widget=forms.Textarea({"rows": 3, "autocomplete": "street-address"}),
    )
    notification_email = forms.EmailField(
        label=_("Correu per als avisos"),
        help_text=_("Si el voleu diferent del correu amb què entreu."),
        required=False,
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    language = language_field()

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        return normalise_phone(phone) if phone else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        number = cleaned.get("document_number")
        if number:
            doc_type = cleaned.get("document_type") or None
            try:
                number = validate_document(number, doc_type)
            except ValidationError as error:
                self.add_error("document_number", error)
                return cleaned
            cleaned["document_number"] = number
            cleaned["document_type"] = doc_type or guess_type(number)
            if document_number_taken(number=number, exclude_user_id=self.user.pk):
                self.add_error("document_number", DOCUMENT_IN_USE)
        elif "document_number" in cleaned:
            cleaned["document_type"] = ""
        return cleaned

    @classmethod
    def initial_for(cls, user) -> dict:
        """The form's initial values from the stored profile."""
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "document_type": user.document_type,
            "document_number": user.document_number or "",
            "phone": user.phone,
            "postal_address": user.postal_address,
            "notification_email": user.notification_email,
            "language": user.language,
        }
