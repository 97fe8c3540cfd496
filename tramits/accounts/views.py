from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tramits.accounts.forms import DOCUMENT_IN_USE, ProfileForm
from tramits.accounts.services import DocumentNumberInUse, user_profile_update


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The citizen's profile, as stored."""
    return render(request, "accounts/profile.html", {"profile": request.user})


def _next_url(request: HttpRequest) -> str:
    """Where to go once the profile is saved: a page of this site the request names (a procedure), or the profile."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return ""


@never_cache
@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Change the profile; nothing is stored unless every answer is valid. `next` returns to a procedure after."""
    next_url = _next_url(request)
    if request.method == "POST":
        form = ProfileForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                updated = user_profile_update(user=request.user, **form.cleaned_data)
            except DocumentNumberInUse:
                form.add_error("document_number", DOCUMENT_IN_USE)
            else:
                with translation.override(updated.language):
                    messages.success(request, _("Hem desat les dades del vostre perfil."))
                    return redirect(next_url or reverse("accounts:profile"))
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(request.user), user=request.user)
    return render(request, "accounts/profile_form.html", {"form": form, "next_url": next_url})
