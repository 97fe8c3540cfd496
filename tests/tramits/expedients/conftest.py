import pytest

from tests.tramits.expedients.factories import DepartmentFactory, UserFactory


@pytest.fixture
def people(db):
    """Staff of three departments and two citizens."""
    return {
        "owner": UserFactory(first_name="Anna"),
        "owner_colleague": UserFactory(first_name="Pere"),
        "helper": UserFactory(first_name="Laia"),
        "outsider": UserFactory(first_name="Marc"),
        "citizen": UserFactory(first_name="Maria"),
        "other_citizen": UserFactory(first_name="Joan"),
    }


@pytest.fixture
def departments(people):
    return {
        "owner": DepartmentFactory(code="PADRO", staff=[people["owner"], people["owner_colleague"]]),
        "helper": DepartmentFactory(code="URBANISME", staff=[people["helper"]]),
        "outsider": DepartmentFactory(code="HISENDA", staff=[people["outsider"]]),
    }
