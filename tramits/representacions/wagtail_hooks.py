"""Representation requests in the Wagtail admin: staff accept or reject them."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tramits.representacions.models import Representation, RepresentationState
from tramits.representacions.selectors import representations_requested
from tramits.representacions.services import (
    RepresentationError,
    RepresentationInvalid,
    representation_accept,
    representation_reject,
)

DECIDE_PERMISSION = "representacions.change_representation"


@permission_required(DECIDE_PERMISSION, raise_exception=True)
def requests_view(request: HttpRequest) -> HttpResponse:
    """The requests waiting for a decision, oldest first, and the latest decided ones."""
    context = {
        "requested": representations_requested().select_related("representative", "expedient")[:200],
        "decided": Representation.objects.exclude(state=RepresentationState.REQUESTED)
        .select_related("representative", "decided_by")
        .order_by("-decided_at", "-pk")[:50],
        "header_icon": "user",
    }
    return render(request, "representacions/admin/requests.html", context)


@require_POST
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    representation = Representation.objects.filter(pk=pk).first()
    if representation is None:
        raise Http404
    try:
        if request.POST.get("decision") == "accept":
            representation_accept(representation=representation, actor=request.user)
            messages.success(request, _("Representació acceptada."))
        elif request.POST.get("decision") == "reject":
            reason = request.POST.get("reason", "")
            representation_reject(representation=representation, actor=request.user, reason=reason)
            messages.success(request, _("Representació rebutjada."))
        else:
            messages.error(request, _("Trieu si l'accepteu o la rebutgeu."))
    except RepresentationInvalid as error:
        messages.error(request, " ".join(error.messages))
    except RepresentationError:
        messages.error(request, _("Aquesta representació ja s'ha resolt."))
    return redirect("representacions_requests")


@hooks.register("register_admin_urls")
def representacions_admin_urls():
    return [
        path("representacions/", requests_view, name="representacions_requests"),
        path("representacions/<int:pk>/decideix/", decide_view, name="representacions_decide"),
    ]


class RequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(DECIDE_PERMISSION)


@hooks.register("register_admin_menu_item")
def representacions_menu_item():
    return RequestsMenuItem(
        gettext_lazy("Representacions"), reverse("representacions_requests"), icon_name="user", order=830
    )
