"""The demo loader is idempotent: a second run creates and changes nothing."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Revision, WorkflowPage

from content.models import AlertBanner, LifeEventPage, SiteFooter, TramitPage
from tramits.accounts.models import User
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import PROCEDURES
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
    assert User.objects.get(email="padro@seu.example").departments.filter(code="padro").exists()
