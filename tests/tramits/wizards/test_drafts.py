"""Drafts: saved to the account at each step, resumable on another device, cleaned when abandoned."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.tramits.wizards.helpers import APPLICANT, Wizard, happy_steps, make_citizen
from tramits.wizards.models import Draft
from tramits.wizards.selectors import drafts_for
from tramits.wizards.services import drafts_abandoned_delete
from tramits.wizards.tasks import drafts_cleanup


def files_on_disk() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_each_step_is_saved_to_the_account(seu, citizen):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill(happy_steps("PADRO-ALTA")[:3])
    draft = Draft.objects.get(user=citizen, procedure_code="PADRO-ALTA")
    assert set(draft.data["step_data"]) == {"sollicitant", "qui", "procedencia"}
    assert draft.current_step == "adreca"


def test_a_draft_resumes_on_another_device(seu, citizen):
    Wizard(seu, "PADRO-ALTA").fill(happy_steps("PADRO-ALTA")[:6])
    other_device = Client()
    other_device.force_login(citizen)
    [item] = drafts_for(citizen)
    assert item.title.startswith("Alta al padró")
    response = other_device.get(item.resume_url)
    assert response["Location"] == "/ca/tramitar/PADRO-ALTA/"
    response = other_device.get(response["Location"])
    assert response["Location"] == "/ca/tramitar/PADRO-ALTA/pas/revisio/"
    page = other_device.get(response["Location"]).content.decode()
    assert "contracte-lloguer.pdf" in page and "Balaguer" in page
    second = Wizard(other_device, "PADRO-ALTA")
    assert second.submit().status_code == 302
    assert not Draft.objects.exists()


def test_someone_elses_resume_link_is_404(seu, citizen):
    Wizard(seu, "GEN-INSTANCIA").fill([("sollicitant", APPLICANT, {})])
    [item] = drafts_for(citizen)
    intruder = Client()
    intruder.force_login(make_citizen(email="altra@example.org", number=55_555_555))
    assert intruder.get(item.resume_url).status_code == 404


def test_drafts_of_a_user_are_theirs_only(seu, citizen):
    other = make_citizen(email="altra@example.org", number=55_555_555)
    Wizard(seu, "GEN-INSTANCIA").fill([("sollicitant", APPLICANT, {})])
    assert drafts_for(other) == []
    assert len(drafts_for(citizen)) == 1


def test_start_again_deletes_the_draft_and_its_files(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA"))
    assert len(files_on_disk()) == 1
    response = seu.post("/ca/tramitar/GEN-INSTANCIA/descarta/")
    assert response.status_code == 302
    assert not Draft.objects.exists()
    assert files_on_disk() == []


def test_abandoned_drafts_and_their_files_are_cleaned_once(seu, settings):
    settings.WIZARD_DRAFT_TTL_DAYS = 30
    Wizard(seu, "GEN-INSTANCIA").fill(happy_steps("GEN-INSTANCIA"))
    Wizard(seu, "PADRO-ALTA").fill(happy_steps("PADRO-ALTA")[:2])
    old = timezone.now() - dt.timedelta(days=31)
    Draft.objects.filter(procedure_code="GEN-INSTANCIA").update(updated_at=old)
    assert len(files_on_disk()) == 1
    assert drafts_cleanup.delay().get() == 1
    assert drafts_abandoned_delete() == 0  # safe to run twice
    assert list(Draft.objects.values_list("procedure_code", flat=True)) == ["PADRO-ALTA"]
    assert files_on_disk() == []


def test_a_draft_saved_meanwhile_is_not_cleaned(seu):
    Wizard(seu, "GEN-INSTANCIA").fill(happy_steps("GEN-INSTANCIA")[:1])
    later = timezone.now() + dt.timedelta(days=31)
    assert drafts_abandoned_delete(now=later - dt.timedelta(days=2)) == 0
    assert drafts_abandoned_delete(now=later) == 1


def test_cleanup_is_a_periodic_task():
    from portal.celery import app

    assert app.conf.beat_schedule["wizards-drafts-cleanup"]["task"] == "tramits.wizards.tasks.drafts_cleanup"
