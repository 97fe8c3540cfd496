"""What a citizen may claim in a filing: to be the applicant, or the representative of one, as their login proved.

One rule for every way in: the wizards (through the registration backend) and the internal API.
"""

from django.utils.translation import gettext as _

from tramits.accounts.identity import identification_method_of, normalise
from tramits.registre.models import IdentificationMethod
from tramits.representacions.selectors import representation_of_document, represented_for


def _represents(*, user, document_number: str, procedure_code: str) -> bool:
    """Whether an accepted representation in force lets the user act for this person in this procedure."""
    representation = representation_of_document(
        representations=list(represented_for(user=user)), document_number=document_number
    )
    return representation is not None and representation.covers(procedure_code)


def citizen_claim_errors(*, user, data: dict) -> dict[str, list[str]]:
    """The messages per field when a citizen's filing claims another person or another identification method.

    The citizen is the applicant, identified as their login proved; or the representative of the
    applicant (who is then `represented`), when a representation on record, accepted and in force
    for this procedure, links them. `data` is the filing as validated (document numbers normalised).
    """
    own = normalise(user.document_number or "")
    if not own:
        return {
            "applicant_document_number": [
                _("Cal que el vostre perfil tingui el document d'identitat per presentar sol·licituds.")
            ]
        }
    method = identification_method_of(user=user)
    wrong_method = _("Heu d'indicar la manera com us heu identificat en entrar a la seu: «%(method)s».") % {
        "method": IdentificationMethod(method).label
    }
    applicant = data.get("applicant_document_number")
    representative = data.get("representative_document_number")
    errors: dict[str, list[str]] = {}
    if applicant == own:
        if data.get("applicant_identified_by") != method:
            errors["applicant_identified_by"] = [wrong_method]
        if representative:
            errors["representative_document_number"] = [
                _("Si presenteu la sol·licitud en nom propi, no hi podeu indicar cap representant.")
            ]
        return errors
    if representative != own:
        return {
            "applicant_document_number": [
                _("Heu de ser l'interessat o el seu representant: el vostre document no hi consta.")
            ]
        }
    if not _represents(user=user, document_number=applicant, procedure_code=data.get("procedure_code", "")):
        errors["applicant_document_number"] = [
            _("No consta cap representació acceptada i vigent d'aquesta persona a favor vostre per a aquest tràmit.")
        ]
    if data.get("representative_identified_by") != method:
        errors["representative_identified_by"] = [wrong_method]
    if data.get("applicant_identified_by") != IdentificationMethod.REPRESENTED:
        errors["applicant_identified_by"] = [
            _("Quan actueu com a representant, l'interessat s'identifica «%(method)s».")
            % {"method": IdentificationMethod.REPRESENTED.label}
        ]
    return errors
