"""Department codes take the catalogue's spelling: "padro" becomes "PADRO".

The demo loader used to store the catalogue's codes in lower case, so look-ups that matched the
catalogue exactly found nothing. A code is renamed only when no other department already has the
catalogue's spelling. Going back gives those codes the lower case the loader used to write, again
only where that causes no clash.
"""

from django.db import migrations

# The catalogue's department codes when this migration was written (tramits/catalogue/procedures.py).
CATALOGUE_CODES = (
    "PADRO",
    "REGISTRE",
    "ATENCIO",
    "MOBILITAT",
    "URBANISME",
    "HISENDA",
    "EDUCACIO",
    "SOCIALS",
    "MEDIAMBIENT",
    "VIAPUBLICA",
)


def renames(existing: list[str], spell) -> dict[str, str]:
    """Old code → new code for every catalogue code stored in another spelling, where no clash exists.

    `spell` gives the wanted spelling of a catalogue code (upper for forwards, lower for backwards).
    Codes outside the catalogue, and codes whose wanted spelling is already taken or wanted by
    two rows at once, are left as they are.
    """
    taken = set(existing)
    catalogue = {code.lower(): code for code in CATALOGUE_CODES}
    wanted: dict[str, list[str]] = {}
    for code in existing:
        canonical = catalogue.get(code.lower())
        if canonical is not None and code != spell(canonical):
            wanted.setdefault(spell(canonical), []).append(code)
    return {olds[0]: new for new, olds in wanted.items() if len(olds) == 1 and new not in taken}


def _apply(apps, spell) -> None:
    Department = apps.get_model("catalogue", "Department")
    for old, new in renames(list(Department.objects.values_list("code", flat=True)), spell).items():
        Department.objects.filter(code=old).update(code=new)


def to_catalogue_spelling(apps, schema_editor):
    _apply(apps, str.upper)


def to_lower_case(apps, schema_editor):
    _apply(apps, str.lower)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_dir3_format"),
    ]

    operations = [
        migrations.RunPython(to_catalogue_spelling, to_lower_case, elidable=False),
    ]
