"""Procedure guides are published through moderation: editors submit, approvers approve."""

import pytest
from django.urls import reverse

from content.models import NewsPage, TramitPage
from content.permissions import COMMUNICATIONS, GUIDE_APPROVERS, GUIDE_EDITORS
from tests.helpers.auth import login_staff_with_mfa
from tramits.accounts.models import User


def member(group_name: str, email: str) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(email=email, password="x-secret-1234", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def guide(demo_site):
    return TramitPage.objects.get(code="PADRO-CANVI-DOMICILI", locale__language_code="ca")


def test_editor_can_edit_but_not_publish_guides(guide):
    editor = member(GUIDE_EDITORS, "ed@example.org")
    permissions = guide.permissions_for_user(editor)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert guide.get_workflow().name == "Aprovació de fitxes de tràmit"


def test_approver_can_publish_guides(guide):
    approver = member(GUIDE_APPROVERS, "ap@example.org")
    assert guide.permissions_for_user(approver).can_publish()


def test_communications_publish_news_but_not_guides(guide):
    comms = member(COMMUNICATIONS, "co@example.org")
    news = NewsPage.objects.filter(locale__language_code="ca").first()
    assert news.permissions_for_user(comms).can_publish()
    assert not guide.permissions_for_user(comms).can_edit()


def test_submit_and_approve_publishes_the_change(client, guide):
    editor = member(GUIDE_EDITORS, "ed@example.org")
    approver = member(GUIDE_APPROVERS, "ap@example.org")
    guide.summary = "Resum revisat per l'editora."
    revision = guide.save_revision(user=editor)
    workflow_state = guide.get_workflow().start(guide, editor)
    task_state = workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[guide.pk, "approve", task_state.pk])

    # The editor cannot approve their own submission.
    login_staff_with_mfa(client, editor)
    client.post(url, {"comment": ""})
    guide.refresh_from_db()
    assert guide.live_revision_id != revision.pk

    login_staff_with_mfa(client, approver)
    response = client.post(url, {"comment": "D'acord"})
    assert response.status_code in (200, 302)
    guide.refresh_from_db()
    assert guide.live_revision_id == revision.pk
    assert guide.summary == "Resum revisat per l'editora."
    assert client.get(guide.get_url()).content.decode().count("Resum revisat per l") == 1
