from tests.tramits.wizards.helpers import (  # noqa: F401 (fixtures)
    _register_in_process,
    calendar,
    citizen,
    departments,
    register_down,
    seu,
)
