from django import forms
from django.utils.translation import gettext_lazy as _


class VerificationForm(forms.Form):
    csv = forms.CharField(
        label=_("Codi segur de verificació (CSV)"),
        help_text=_(
            "És el codi de 20 lletres i xifres que figura al peu del document, per exemple ABCDE-FGHJK-MNPQR-STVWX."
        ),
        max_length=60,
        required=False,
    )
