"""Step forms shared by the padró procedures that register people at an address (ALTA, CANVI-DOMICILI).

The evidence of residence goes by path, because no property title is ever required (domicili
habitual): title or rental contract; the authorisation of a person registered there; other
evidence; or no fixed address (the social services' address).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import validate_document
from tramits.wizards.fields import Date, LongText
from tramits.wizards.forms import Choice, StepForm, Text, yes_no
from tramits.wizards.uploads import UploadField

ONLY_ME, WITH_OTHERS, ONLY_OTHERS = "jo", "jo-i-altres", "altres"
EVIDENCE_TITLE, EVIDENCE_AUTHORISATION, EVIDENCE_OTHER, EVIDENCE_NONE = (
    "titol-o-lloguer",
    "autoritzacio",
    "altres-proves",
    "sense-domicili",
)
PEOPLE_SLOTS = 4


class WhoForm(StepForm):
    title = _("Qui s'empadrona")

    who = Choice(
        label=_("Qui s'empadrona en aquesta adreça?"),
        choices=[
            (ONLY_ME, _("Només jo")),
            (WITH_OTHERS, _("Jo i altres persones (familiars o persones que viuen amb mi)")),
            (ONLY_OTHERS, _("Altres persones, no jo (per exemple, els meus fills menors)")),
        ],
    )
    minors = yes_no(_("Hi ha menors d'edat entre les persones que s'empadronen?"))


def _adult(birth_date: dt.date) -> bool:
    today = timezone.localdate()
    return (today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))) >= 18


class PeopleForm(StepForm):
    """The other people, up to four; a document is required from the age of 14 (for adults always)."""

    title = _("Les altres persones")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, PEOPLE_SLOTS + 1):
            self.fields[f"name_{slot}"] = Text(
                label=format_lazy(_("Persona {n}: nom i cognoms"), n=slot), required=False
            )
            self.fields[f"birth_date_{slot}"] = Date(
                label=format_lazy(_("Persona {n}: data de naixement"), n=slot), required=False, past=True
            )
            self.fields[f"document_{slot}"] = Text(
                label=format_lazy(_("Persona {n}: DNI, NIE o passaport"), n=slot),
                max_length=20,
                required=False,
                help_text=_("Obligatori per a les persones majors d'edat."),
            )
            self.fields[f"relationship_{slot}"] = Text(
                label=format_lazy(_("Persona {n}: relació amb vós"), n=slot),
                max_length=60,
                required=False,
                help_text=_("Per exemple: filla, parella, avi."),
            )

    def clean(self):
        cleaned = super().clean()
        people = 0
        for slot in range(1, PEOPLE_SLOTS + 1):
            name = cleaned.get(f"name_{slot}")
            birth_date = cleaned.get(f"birth_date_{slot}")
            document = cleaned.get(f"document_{slot}")
            if not (name or birth_date or document):
                continue
            people += 1
            if not name:
                self.add_error(f"name_{slot}", _("Escriviu el nom i els cognoms d'aquesta persona."))
            if not birth_date and f"birth_date_{slot}" not in self.errors:
                self.add_error(f"birth_date_{slot}", _("Escriviu la data de naixement d'aquesta persona."))
            if document:
                try:
                    cleaned[f"document_{slot}"] = validate_document(document)
                except ValidationError as error:
                    self.add_error(f"document_{slot}", error)
            elif birth_date and _adult(birth_date):
                self.add_error(f"document_{slot}", _("Una persona major d'edat ha d'indicar el seu document."))
        if not people:
            self.add_error("name_1", _("Indiqueu almenys una persona."))
        return cleaned

    def has_minors(self) -> bool:
        return any(
            self.cleaned_data.get(f"birth_date_{slot}") and not _adult(self.cleaned_data[f"birth_date_{slot}"])
            for slot in range(1, PEOPLE_SLOTS + 1)
        )


CUSTODY_BOTH, CUSTODY_RULING, CUSTODY_SOLE = "consentiment", "resolucio", "unic-progenitor"


class MinorsConsentForm(StepForm):
    """Minors are registered with the consent of both parents, or the ruling on custody."""

    title = _("Consentiment per als menors")

    custody = Choice(
        label=_("Com s'acredita que els menors poden viure en aquesta adreça?"),
        choices=[
            (CUSTODY_BOTH, _("Tots dos progenitors hi estan d'acord (adjunto l'autorització de l'altre progenitor)")),
            (CUSTODY_RULING, _("Una resolució judicial o un conveni regula la guarda (l'adjunto)")),
            (CUSTODY_SOLE, _("Només consta un progenitor, o l'altre ha mort (adjunto el llibre de família)")),
        ],
    )
    consent_document = UploadField(
        label=_("Autorització signada, resolució o llibre de família"),
        help_text=_("PDF, JPG o PNG. Amb una còpia del document d'identitat de l'altre progenitor si l'autoritza."),
    )


class EvidencePathForm(StepForm):
    title = _("Com acrediteu que hi viviu")

    path = Choice(
        label=_("Com acrediteu que viviu en aquesta adreça?"),
        help_text=_("No cal ser propietari de l'habitatge per empadronar-s'hi: us empadroneu on viviu."),
        choices=[
            (EVIDENCE_TITLE, _("Sóc titular de l'habitatge o hi visc de lloguer (escriptura o contracte de lloguer)")),
            (EVIDENCE_AUTHORISATION, _("M'autoritza una persona empadronada o titular de l'habitatge")),
            (EVIDENCE_OTHER, _("Amb altres proves que hi visc (factures de subministraments, un informe social…)")),
            (EVIDENCE_NONE, _("No tinc domicili fix (m'empadrono a l'adreça dels serveis socials)")),
        ],
    )


class TitleEvidenceForm(StepForm):
    title = _("Escriptura o contracte de lloguer")

    housing_document = UploadField(
        label=_("Escriptura, nota simple o contracte de lloguer"),
        help_text=_("El contracte ha d'estar vigent i ha de constar-hi el vostre nom."),
    )


class AuthorisationEvidenceForm(StepForm):
    title = _("Autorització de la persona que hi viu")

    authoriser_name = Text(label=_("Nom i cognoms de la persona que us autoritza"))
    authoriser_document = Text(label=_("DNI, NIE o passaport de la persona que us autoritza"), max_length=20)
    authorisation_document = UploadField(
        label=_("Autorització signada"),
        required=False,
        help_text=_(
            "Si la persona ja ha fet el tràmit d'autorització en línia (PADRO-AUTORITZACIO), no cal adjuntar-la."
        ),
    )
    authorisation_online = yes_no(_("La persona ha fet el tràmit d'autorització en línia?"))

    def clean_authoriser_document(self):
        return validate_document(self.cleaned_data["authoriser_document"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("authorisation_online") == "no" and not cleaned.get("authorisation_document"):
            self.add_error(
                "authorisation_document", _("Adjunteu l'autorització signada, o feu que la persona la faci en línia.")
            )
        return cleaned


class OtherEvidenceForm(StepForm):
    title = _("Altres proves de residència")

    description = LongText(
        label=_("Quines proves aporteu?"),
        max_length=1000,
        help_text=_("Per exemple: factures de llum o aigua al vostre nom, un informe dels serveis socials."),
    )
    evidence_1 = UploadField(label=_("Prova de residència"))
    evidence_2 = UploadField(label=_("Una altra prova"), required=False)


class NoFixedAddressForm(StepForm):
    title = _("Sense domicili fix")

    social_services_contact = yes_no(_("Us atén algun centre de serveis socials de Lleida?"))
    centre = Text(label=_("Quin centre o professional us atén?"), required=False)
    notes = LongText(label=_("Alguna cosa que ens vulgueu dir"), max_length=1000, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("social_services_contact") == "si" and not cleaned.get("centre"):
            self.add_error("centre", _("Escriviu quin centre o professional us atén."))
        return cleaned


def answer(wizard, step: str, field: str):
    """A previous step's cleaned answer, for the conditions of later steps."""
    data = wizard.get_cleaned_data_for_step(step) or {}
    return data.get(field)


def people_step(wizard) -> bool:
    return answer(wizard, "qui", "who") in {WITH_OTHERS, ONLY_OTHERS}


def minors_step(wizard) -> bool:
    return answer(wizard, "qui", "minors") == "si"


def evidence_step(path: str):
    def condition(wizard) -> bool:
        return answer(wizard, "acreditacio", "path") == path

    return condition


RESIDENCE_CONDITIONS = {
    "persones": people_step,
    "menors": minors_step,
    "document-habitatge": evidence_step(EVIDENCE_TITLE),
    "autoritzacio": evidence_step(EVIDENCE_AUTHORISATION),
    "altres-proves": evidence_step(EVIDENCE_OTHER),
    "sense-domicili": evidence_step(EVIDENCE_NONE),
}
RESIDENCE_EVIDENCE_STEPS = [
    ("acreditacio", EvidencePathForm),
    ("document-habitatge", TitleEvidenceForm),
    ("autoritzacio", AuthorisationEvidenceForm),
    ("altres-proves", OtherEvidenceForm),
    ("sense-domicili", NoFixedAddressForm),
]
