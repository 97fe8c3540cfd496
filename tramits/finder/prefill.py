"""What the finder passes to a procedure's wizard: query parameters on `wizards:start`.

The outcome page links to `reverse("wizards:start", kwargs={"code": code})` followed by the
parameters below, gathered from the answers along the way. A wizard reads those it knows to
preselect the matching answer of its first steps and ignores the rest; the citizen can always
change a preselected answer. Values are plain slugs, never personal data.

- `ambit`: where the citizen comes from or moves within.
  `lleida` (a move within Lleida: PADRO-CANVI-DOMICILI's first answer),
  `altre-municipi` (from another Spanish town), `estranger` (from abroad).
- `persona`: who the procedure is for.
  `jo` (the applicant), `menor` (a child in their care), `altra` (someone they represent).
- `tipus`: which kind of document or variant.
  For PADRO-VOLANT: `individual`, `convivencia`. For PADRO-CERTIFICAT: `individual`,
  `colectiu`, `historic`.
- `motiu`: the reason.
  For PADRO-BAIXA: `estranger`, `defuncio`, `no-hi-viu`. For PADRO-MODIFICACIO: `dades`,
  `document`, `nacionalitat`. For GEN-QUEIXES: `queixa`, `suggeriment`, `agraiment`.
- `us`: what a volant or certificate is for.
  `escola`, `sanitat`, `estrangeria`, `nacionalitat`, `altres`.
"""

from urllib.parse import parse_qsl, urlencode

PARAMETERS: dict[str, frozenset[str]] = {
    "ambit": frozenset({"lleida", "altre-municipi", "estranger"}),
    "persona": frozenset({"jo", "menor", "altra"}),
    "tipus": frozenset({"individual", "convivencia", "colectiu", "historic"}),
    "motiu": frozenset(
        {
            "estranger",
            "defuncio",
            "no-hi-viu",
            "dades",
            "document",
            "nacionalitat",
            "queixa",
            "suggeriment",
            "agraiment",
        }
    ),
    "us": frozenset({"escola", "sanitat", "estrangeria", "nacionalitat", "altres"}),
}


def prefill_parse(value: str) -> dict[str, str]:
    """The known parameters of an answer's `prefill` text (`ambit=lleida&persona=jo`)."""
    pairs = parse_qsl((value or "").replace(",", "&").replace(" ", ""), keep_blank_values=False)
    return {name: item for name, item in pairs if item in PARAMETERS.get(name, ())}


def prefill_errors(value: str) -> list[str]:
    """The `name=value` pairs of a prefill text that no wizard understands."""
    pairs = parse_qsl((value or "").replace(",", "&").replace(" ", ""), keep_blank_values=True)
    return [f"{name}={item}" for name, item in pairs if item not in PARAMETERS.get(name, ())]


def prefill_query(values: dict[str, str]) -> str:
    """The query string for the wizard's start URL, empty when nothing is known."""
    return urlencode(sorted(values.items()))
