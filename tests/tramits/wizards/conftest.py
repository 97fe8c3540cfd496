from tests.tramits.wizards.helpers import _register_in_process, calendar, citizen, departments, seu  # noqa: F401
