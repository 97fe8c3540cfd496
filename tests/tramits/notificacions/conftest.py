from tests.tramits.carpeta.fixtures import calendar_seeded, citizen, department, other_citizen, staff  # noqa: F401
