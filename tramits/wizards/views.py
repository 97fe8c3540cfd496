from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tramits.catalogue.procedures import get_procedure


@login_required
def start(request, code: str):
    """Entry point of a procedure's wizard; the wizards themselves are per procedure."""
    procedure = get_procedure(code)
    if procedure is None or not procedure.online:
        raise Http404("Unknown procedure")
    return render(request, "wizards/start.html", {"procedure": procedure})
