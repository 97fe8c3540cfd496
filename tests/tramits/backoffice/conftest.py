import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from content.permissions import CASE_HANDLERS
from tests.helpers.auth import login_staff_with_mfa
from tests.tramits.expedients.factories import DepartmentFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def case_handlers(db) -> Group:
    """The staff group that may enter the admin, as the editorial setup creates it."""
    group, _created = Group.objects.get_or_create(name=CASE_HANDLERS)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


@pytest.fixture
def people(case_handlers):
    """Staff of three departments (one person in two of them)."""
    people = {
        "owner": UserFactory(first_name="Anna", last_name="Soler"),
        "owner_colleague": UserFactory(first_name="Pere", last_name="Mas"),
        "helper": UserFactory(first_name="Laia", last_name="Roca"),
        "outsider": UserFactory(first_name="Marc", last_name="Pons"),
        "desk": UserFactory(first_name="Núria", last_name="Farré"),
    }
    for user in people.values():
        user.groups.add(case_handlers)
    return people


@pytest.fixture
def departments(people):
    return {
        "owner": DepartmentFactory(code="PADRO", dir3="LA0019781", staff=[people["owner"], people["owner_colleague"]]),
        "helper": DepartmentFactory(code="URBANISME", dir3="LA0019791", staff=[people["helper"]]),
        "outsider": DepartmentFactory(code="HISENDA", dir3="LA0019792", staff=[people["outsider"]]),
        "desk": DepartmentFactory(code="ATENCIO", dir3="LA0019782", staff=[people["desk"]]),
    }


@pytest.fixture
def login(db):
    """A client logged in as `user` the way staff reach the admin: password and second factor."""

    def make(user) -> Client:
        client = Client()
        login_staff_with_mfa(client, user)
        return client

    return make
