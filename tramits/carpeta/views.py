from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """The citizen's private area."""
    return render(request, "carpeta/home.html", {})
