"""Field types shared by the step forms: bounded text without control characters, dates, yes/no."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# C0 controls other than tab and line breaks, DEL, C1 controls, and the bidirectional overrides.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def validate_no_control_characters(value: str) -> None:
    if value and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("El text conté caràcters de control no permesos. Escriviu-lo de nou sense enganxar-lo."),
            code="control_characters",
        )


class Text(forms.CharField):
    """One line of text, at most `max_length` characters (200 by default)."""

    def __init__(self, *args, max_length: int = 200, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(validate_no_control_characters)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)  # the limit is enforced on the server; the browser would cut silently
        return attrs


class LongText(Text):
    """Several paragraphs, at most 4,000 characters by default."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *args, max_length: int = 4000, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)


class Choice(forms.ChoiceField):
    """Radio buttons (a fieldset with a legend in the shared form renderer)."""

    widget = forms.RadioSelect

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["required"] = _("Trieu una de les opcions.")
        self.error_messages["invalid_choice"] = _("Trieu una de les opcions de la llista.")


class Select(forms.ChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = _("Trieu una de les opcions de la llista.")


class Date(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, *args, past: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.past = past
        self.error_messages["invalid"] = _("Escriviu una data vàlida, per exemple 31/12/2024.")

    def validate(self, value):
        super().validate(value)
        if value and self.past and value > timezone.localdate():
            raise ValidationError(_("La data no pot ser posterior a avui."), code="future")
        if value and value.year < 1900:
            raise ValidationError(_("Escriviu una data vàlida, per exemple 31/12/2024."), code="invalid")


class Count(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = _("Escriviu un nombre.")


YES_NO = [("si", _("Sí")), ("no", _("No"))]
