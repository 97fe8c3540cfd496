"""Editorial groups and the moderation workflow for procedure guides."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from content.models import TramitIndexPage
from content.permissions import CASE_HANDLERS, COMMUNICATIONS, GUIDE_APPROVERS, GUIDE_EDITORS

GUIDE_WORKFLOW = "Aprovació de fitxes de tràmit"

# (app_label, codename) of model permissions each group holds, besides page permissions.
MODEL_PERMISSIONS = {
    COMMUNICATIONS: [
        ("wagtailadmin", "access_admin"),
        ("content", "add_sitefooter"),
        ("content", "change_sitefooter"),
        ("content", "add_alertbanner"),
        ("content", "change_alertbanner"),
        ("content", "delete_alertbanner"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtailimages", "change_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtaildocs", "change_document"),
    ],
    GUIDE_EDITORS: [
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    GUIDE_APPROVERS: [
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    CASE_HANDLERS: [
        ("wagtailadmin", "access_admin"),
        ("terminis", "change_holiday"),
        ("terminis", "add_holiday"),
        ("incidencies", "add_technicalincident"),
        ("incidencies", "change_technicalincident"),
    ],
}


def _model_permissions(pairs):
    query = Permission.objects.none()
    for app_label, codename in pairs:
        query |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return list(query)


def _grant_pages(group: Group, pages, permission_types: list[str]) -> None:
    for page in pages:
        for permission_type in permission_types:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{permission_type}_page"
            )
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@transaction.atomic
def editorial_setup() -> dict[str, Group]:
    """Create the groups, their permissions and the guide workflow; safe to run again."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in MODEL_PERMISSIONS}
    for name, pairs in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*_model_permissions(pairs))

    homes = list(Page.objects.filter(depth=2))
    tramit_indexes = list(TramitIndexPage.objects.all())
    # Communications edit and publish everything but the guides (page permissions cascade down the
    # tree, so they get the homes; guides are protected by the workflow and by editors' rights).
    _grant_pages(groups[COMMUNICATIONS], homes, ["add", "change", "publish", "lock", "unlock"])
    # Guide editors draft guides and submit them; only approvers publish.
    _grant_pages(groups[GUIDE_EDITORS], tramit_indexes, ["add", "change", "lock", "unlock"])
    _grant_pages(groups[GUIDE_APPROVERS], tramit_indexes, ["add", "change", "publish", "lock", "unlock"])

    workflow, _ = Workflow.objects.get_or_create(name=GUIDE_WORKFLOW, defaults={"active": True})
    task, _ = GroupApprovalTask.objects.get_or_create(name=GUIDE_APPROVERS, defaults={"active": True})
    task.groups.set([groups[GUIDE_APPROVERS]])
    # Workflow is a cluster: its tasks are saved through their own model, not the deferring relation.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in tramit_indexes:
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return groups
