from tests.tramits.carpeta.fixtures import citizen, department, other_citizen, staff  # noqa: F401
