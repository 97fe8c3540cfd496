"""The procedure catalogue: stable codes and their legal parameters (CATALOGUE.md).

Codes are a public contract: `/tramit/<CODI>`, the finder API, register entries and
expedients all carry them. Titles and terms here are the defaults; each guide page states
them for citizens and editors may reword them there.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Silence(models.TextChoices):
    POSITIVE = "positive", _("Positiu (estimatori)")
    NEGATIVE = "negative", _("Negatiu (desestimatori)")
    NONE = "none", _("No n'hi ha")


class TermUnit(models.TextChoices):
    MONTHS = "months", _("mesos")
    BUSINESS_DAYS = "business_days", _("dies hàbils")
    IMMEDIATE = "immediate", _("immediat")
    NONE = "none", _("sense termini propi")


@dataclass(frozen=True)
class Procedure:
    code: str
    title_ca: str
    title_es: str
    department: str  # Department.code
    topic: str  # topic slug
    term_unit: str
    term_value: int
    silence: str
    automatic: bool
    online: bool = True
    title_en: str = ""

    def title(self, language: str) -> str:
        return {"es": self.title_es, "en": self.title_en or self.title_es}.get(language, self.title_ca)


# Departments: code, DIR3 (demo values in the format of the national directory), names.
DEPARTMENTS = [
    ("PADRO", "LA0019781", "Padró d'habitants (OAC)", "Padrón de habitantes (OAC)", "Population register (OAC)"),
    ("REGISTRE", "LA0019780", "Registre General", "Registro General", "General Register"),
    ("ATENCIO", "LA0019782", "Atenció Ciutadana", "Atención Ciudadana", "Citizen Services"),
    ("MOBILITAT", "LA0019790", "Mobilitat", "Movilidad", "Mobility"),
    ("URBANISME", "LA0019791", "Urbanisme", "Urbanismo", "Urban Planning"),
    ("HISENDA", "LA0019792", "Hisenda", "Hacienda", "Finance"),
    ("EDUCACIO", "LA0019793", "Educació", "Educación", "Education"),
    ("SOCIALS", "LA0019794", "Drets Socials", "Derechos Sociales", "Social Rights"),
    ("MEDIAMBIENT", "LA0019795", "Medi Ambient", "Medio Ambiente", "Environment"),
    ("VIAPUBLICA", "LA0019796", "Via Pública", "Vía Pública", "Public Space"),
]

M, D, I, N = TermUnit.MONTHS, TermUnit.BUSINESS_DAYS, TermUnit.IMMEDIATE, TermUnit.NONE  # noqa: E741 (short names keep the table readable)
POS, NEG, NO = Silence.POSITIVE, Silence.NEGATIVE, Silence.NONE

PROCEDURES = [
    Procedure(
        "PADRO-ALTA",
        "Alta al padró (vinc d'un altre municipi o de l'estranger)",
        "Alta en el padrón (vengo de otro municipio o del extranjero)",
        "PADRO",
        "padro",
        M,
        3,
        POS,
        False,
        title_en="Registering as a resident (moving from another town or from abroad)",
    ),
    Procedure(
        "PADRO-NAIXEMENT",
        "Alta d'un nadó al padró",
        "Alta de un recién nacido en el padrón",
        "PADRO",
        "padro",
        M,
        3,
        POS,
        False,
        title_en="Registering a newborn baby",
    ),
    Procedure(
        "PADRO-CANVI-DOMICILI",
        "Canvi de domicili dins de Lleida",
        "Cambio de domicilio dentro de Lleida",
        "PADRO",
        "padro",
        M,
        3,
        POS,
        False,
        title_en="Change of address within Lleida",
    ),
    Procedure(
        "PADRO-MODIFICACIO",
        "Modificació de dades personals del padró",
        "Modificación de datos personales del padrón",
        "PADRO",
        "padro",
        M,
        3,
        POS,
        False,
        title_en="Changing personal data in the population register",
    ),
    Procedure(
        "PADRO-BAIXA",
        "Baixa del padró (trasllat a l'estranger, defunció o persones que ja no hi viuen)",
        "Baja del padrón",
        "PADRO",
        "padro",
        M,
        3,
        NEG,
        False,
        title_en="Removal from the population register",
    ),
    Procedure(
        "PADRO-VOLANT",
        "Volant d'empadronament (individual o de convivència)",
        "Volante de empadronamiento",
        "PADRO",
        "padro",
        I,
        0,
        NO,
        True,
        title_en="Proof of registration (volant)",
    ),
    Procedure(
        "PADRO-CERTIFICAT",
        "Certificat d'empadronament (individual, col·lectiu o històric)",
        "Certificado de empadronamiento",
        "PADRO",
        "padro",
        D,
        10,
        NO,
        True,
        title_en="Certificate of registration",
    ),
    Procedure(
        "PADRO-RENOVACIO",
        "Renovació de la inscripció padronal (estrangers no comunitaris sense residència permanent, cada 2 anys)",
        "Renovación de la inscripción padronal",
        "PADRO",
        "padro",
        I,
        0,
        NO,
        True,
        title_en="Renewal of registration (non-EU nationals, every 2 years)",
    ),
    Procedure(
        "PADRO-CONFIRMACIO",
        "Confirmació de residència (cada 5 anys)",
        "Confirmación de residencia",
        "PADRO",
        "padro",
        I,
        0,
        NO,
        True,
        title_en="Confirmation of residence (every 5 years)",
    ),
    Procedure(
        "PADRO-AUTORITZACIO",
        "Autorització de la persona titular de l'habitatge per empadronar-hi algú",
        "Autorización del titular de la vivienda para empadronar",
        "PADRO",
        "padro",
        M,
        3,
        POS,
        False,
        title_en="Authorisation by the householder to register someone",
    ),
    Procedure(
        "PADRO-CONSULTA-DOMICILI",
        "Consulta de persones empadronades al meu domicili",
        "Consulta de personas empadronadas en mi domicilio",
        "PADRO",
        "padro",
        I,
        0,
        NO,
        True,
        title_en="Who is registered at my address",
    ),
    Procedure(
        "GEN-INSTANCIA",
        "Instància genèrica",
        "Instancia genérica",
        "REGISTRE",
        "tramits-generals",
        M,
        3,
        POS,
        False,
        title_en="General application",
    ),
    Procedure(
        "GEN-QUEIXES",
        "Queixes, suggeriments i agraïments",
        "Quejas, sugerencias y agradecimientos",
        "ATENCIO",
        "tramits-generals",
        M,
        1,
        NO,
        False,
        title_en="Complaints, suggestions and thanks",
    ),
    Procedure(
        "GEN-APORTACIO",
        "Aportació de documentació a un expedient",
        "Aportación de documentación a un expediente",
        "REGISTRE",
        "tramits-generals",
        N,
        0,
        NO,
        False,
        title_en="Adding documents to an expedient",
    ),
    Procedure(
        "GEN-REPRESENTACIO",
        "Alta d'una representació (actuar en nom d'una altra persona)",
        "Alta de una representación",
        "REGISTRE",
        "tramits-generals",
        M,
        1,
        POS,
        False,
        title_en="Registering a representation (acting for another person)",
    ),
    Procedure(
        "MOB-TARGETA-APARCAMENT",
        "Targeta d'aparcament per a persones amb discapacitat",
        "Tarjeta de aparcamiento para personas con discapacidad",
        "MOBILITAT",
        "mobilitat",
        M,
        3,
        POS,
        False,
        title_en="Disabled parking card",
    ),
    Procedure(
        "MOB-GUAL",
        "Llicència de gual (entrada de vehicles)",
        "Licencia de vado",
        "MOBILITAT",
        "mobilitat",
        M,
        3,
        POS,
        False,
        title_en="Dropped kerb licence (vehicle entrance)",
    ),
    Procedure(
        "URB-OBRES-MENORS",
        "Comunicació prèvia d'obres menors",
        "Comunicación previa de obras menores",
        "URBANISME",
        "urbanisme",
        M,
        1,
        POS,
        False,
        title_en="Prior notice of minor building works",
    ),
    Procedure(
        "HIS-BONIFICACIO-IBI",
        "Bonificació de l'IBI per a famílies nombroses",
        "Bonificación del IBI para familias numerosas",
        "HISENDA",
        "hisenda",
        M,
        6,
        NEG,
        False,
        title_en="Property tax (IBI) rebate for large families",
    ),
    Procedure(
        "HIS-DOMICILIACIO",
        "Domiciliació bancària de tributs",
        "Domiciliación bancaria de tributos",
        "HISENDA",
        "hisenda",
        M,
        1,
        POS,
        False,
        title_en="Direct debit of local taxes",
    ),
    Procedure(
        "EDU-ESCOLA-BRESSOL",
        "Preinscripció a les escoles bressol municipals",
        "Preinscripción en las escuelas infantiles municipales",
        "EDUCACIO",
        "educacio",
        M,
        3,
        NEG,
        False,
        title_en="Pre-enrolment in municipal nursery schools",
    ),
    Procedure(
        "SOC-AJUT-URGENCIA",
        "Ajuts d'urgència social",
        "Ayudas de urgencia social",
        "SOCIALS",
        "drets-socials",
        M,
        1,
        NEG,
        False,
        title_en="Emergency social aid",
    ),
    Procedure(
        "MED-RECOLLIDA-MOBLES",
        "Recollida de mobles i voluminosos a domicili",
        "Recogida de muebles y voluminosos a domicilio",
        "MEDIAMBIENT",
        "medi-ambient",
        D,
        15,
        NO,
        False,
        title_en="Collection of furniture and bulky waste",
    ),
    Procedure(
        "VIA-TERRASSA",
        "Ocupació de la via pública amb terrasses",
        "Ocupación de la vía pública con terrazas",
        "VIAPUBLICA",
        "via-publica",
        M,
        3,
        NEG,
        False,
        title_en="Pavement café terrace licence",
    ),
]

BY_CODE: dict[str, Procedure] = {p.code: p for p in PROCEDURES}
CODE_CHOICES = [(p.code, f"{p.code} — {p.title_ca}") for p in PROCEDURES]


def get_procedure(code: str) -> Procedure | None:
    return BY_CODE.get((code or "").upper())
