"""Who may touch procedure guides: only their editors and approvers.

Wagtail page permissions flow down the tree, so the communications team's rights on the
home page would otherwise reach the guides below it.
"""

from functools import cached_property

from wagtail.models import PagePermissionTester

COMMUNICATIONS = "Comunicació"
GUIDE_EDITORS = "Editors de tràmits"
GUIDE_APPROVERS = "Aprovació de tràmits"
CASE_HANDLERS = "Tramitació"
GUIDE_GROUPS = (GUIDE_EDITORS, GUIDE_APPROVERS)


class GuidePermissionTester(PagePermissionTester):
    @cached_property
    def is_guide_staff(self) -> bool:
        user = self.user
        return user.is_active and (user.is_superuser or user.groups.filter(name__in=GUIDE_GROUPS).exists())

    def can_edit(self):
        return self.is_guide_staff and super().can_edit()

    def can_publish(self):
        return self.is_guide_staff and super().can_publish()

    def can_unpublish(self):
        return self.is_guide_staff and super().can_unpublish()

    def can_delete(self, *args, **kwargs):
        return self.is_guide_staff and super().can_delete(*args, **kwargs)

    def can_add_subpage(self):
        return self.is_guide_staff and super().can_add_subpage()

    def can_publish_subpage(self):
        return self.is_guide_staff and super().can_publish_subpage()

    def can_move(self):
        return self.is_guide_staff and super().can_move()

    def can_copy(self):
        return self.is_guide_staff and super().can_copy()

    def can_lock(self):
        return self.is_guide_staff and super().can_lock()

    def can_reorder_children(self):
        return self.is_guide_staff and super().can_reorder_children()
