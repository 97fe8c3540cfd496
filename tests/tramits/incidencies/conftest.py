from tests.tramits.wizards.helpers import _api_in_process, calendar, citizen, departments, seu  # noqa: F401
