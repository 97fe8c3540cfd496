"""The back office in the Wagtail admin: its URLs under /admin/expedients/ and its menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from tramits.backoffice import urls
from tramits.backoffice.selectors import overdue_count
from tramits.expedients.selectors import user_department_ids


@hooks.register("register_admin_urls")
def backoffice_urls():
    return [path("expedients/", include((urls, "backoffice"), namespace="backoffice"))]


class StaffMenuItem(MenuItem):
    """Shown to members of a department, the only people the back office has anything for."""

    def is_shown(self, request):
        return bool(user_department_ids(user=request.user))


class ExpedientsMenuItem(SubmenuMenuItem):
    """ "Expedients", with the number of overdue ones of the user's departments in the label."""

    def is_shown(self, request):
        return bool(user_department_ids(user=request.user))

    def render_component(self, request):
        component = super().render_component(request)
        overdue = overdue_count(user=request.user)
        if overdue:
            component.label = _("Expedients (%(count)s vençuts)") % {"count": overdue}
        return component


@hooks.register("register_admin_menu_item")
def backoffice_menu_item():
    submenu = Menu(
        items=[
            StaffMenuItem(gettext_lazy("Safata"), reverse("backoffice:inbox"), icon_name="folder-inverse", order=1),
            StaffMenuItem(gettext_lazy("Encàrrecs"), reverse("backoffice:tasks"), icon_name="tasks", order=2),
            StaffMenuItem(gettext_lazy("Registre presencial"), reverse("backoffice:desk"), icon_name="form", order=3),
        ]
    )
    return ExpedientsMenuItem(
        gettext_lazy("Expedients"), submenu, name="expedients", icon_name="folder-open-inverse", order=150
    )
