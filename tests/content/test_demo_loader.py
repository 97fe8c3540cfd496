"""The demo loader is idempotent: a second run creates and changes nothing."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Revision, WorkflowPage

from content.models import AlertBanner, LifeEventPage, SiteFooter, TramitPage
from content.permissions import CASE_HANDLERS
from tramits.accounts.models import User
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import BY_CODE, DEPARTMENTS, PROCEDURES
from tramits.catalogue.selectors import filing_department_codes
from tramits.terminis.models import Holiday


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "footers": SiteFooter.objects.count(),
        "banners": AlertBanner.objects.count(),
        "groups": Group.objects.count(),
        "workflow_pages": WorkflowPage.objects.count(),
        "departments": Department.objects.count(),
        "holidays": Holiday.objects.count(),
        "users": User.objects.count(),
    }


def test_second_run_changes_nothing(demo_site):
    call_command("load_demo", "--users", verbosity=0)
    before = snapshot()
    call_command("load_demo", "--users", verbosity=0)
    assert snapshot() == before


def test_every_catalogue_procedure_has_a_guide_in_each_language(demo_site):
    for language in ("ca", "es", "en"):
        codes = set(TramitPage.objects.live().filter(locale__language_code=language).values_list("code", flat=True))
        assert codes == {p.code for p in PROCEDURES}, language


def test_life_events_link_to_guides_in_their_language(demo_site):
    for event in LifeEventPage.objects.all():
        guides = event.tramits.all()
        assert guides.exists()
        assert {guide.locale_id for guide in guides} == {event.locale_id}


def test_demo_accounts_are_printed(demo_site, capsys):
    call_command("load_demo", "--users")
    out = capsys.readouterr().out
    assert "editor@seu.example" in out and "padro@seu.example" in out
    assert User.objects.get(email="padro@seu.example").departments.filter(code="PADRO").exists()


def test_demo_departments_have_the_catalogue_spelling(demo_site):
    assert set(Department.objects.values_list("code", flat=True)) == {code for code, *_ in DEPARTMENTS}
    for guide in TramitPage.objects.select_related("department"):
        assert guide.department.code == BY_CODE[guide.code].department, guide.code


def test_every_department_that_receives_filings_has_a_case_handler(demo_site, capsys):
    call_command("load_demo", "--users")
    out = capsys.readouterr().out
    for code in filing_department_codes():
        staff = Department.objects.get(code=code).members.filter(is_staff=True, groups__name=CASE_HANDLERS)
        assert staff.exists(), code
        for user in staff:
            assert user.first_name and user.last_name, user.email
            assert f"{user.email} " in out, user.email
    assert Department.objects.get(code="REGISTRE").members.filter(email="registre@seu.example").exists()


def test_a_department_stored_in_lower_case_is_reused(demo_site):
    Department.objects.filter(code="PADRO").update(code="padro")
    before = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before
