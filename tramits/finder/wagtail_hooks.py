"""The finder in the Wagtail admin: questions and answers, synonyms, asked questions, the tree check."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from tramits.finder.models import AssistantQuestion, Question, Synonym
from tramits.finder.tree import tree_check, tree_diagram, tree_load

CHECK_PERMISSION = "finder.change_question"


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Preguntes")
    list_display = ["key", "text_ca", "is_start"]
    search_fields = ["key", "text_ca", "text_es", "text_en"]
    ordering = ["-is_start", "key"]


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Sinònims de cerca")
    list_display = ["term", "expansions", "language"]
    list_filter = ["language"]
    search_fields = ["term", "expansions"]


class AssistantQuestionViewSet(SnippetViewSet):
    model = AssistantQuestion
    icon = "comment"
    menu_label = _("Preguntes a l'assistent")
    list_display = ["text"]
    search_fields = ["text"]
    inspect_view_enabled = True


class FinderGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, SynonymViewSet, AssistantQuestionViewSet)
    menu_icon = "help"
    menu_label = _("Cercador de tràmits")
    menu_name = "cercador"
    menu_order = 820


register_snippet(FinderGroup)


@permission_required(CHECK_PERMISSION, raise_exception=True)
def tree_check_view(request: HttpRequest) -> HttpResponse:
    """Unreachable questions, dead ends and loops, and the whole tree drawn as nested lists."""
    tree = tree_load()
    context = {"report": tree_check(tree), "diagram": tree_diagram(tree), "header_icon": "help"}
    return render(request, "finder/admin/check.html", context)


@hooks.register("register_admin_urls")
def finder_admin_urls():
    return [path("cercador/comprovacio/", tree_check_view, name="finder_check")]


class CheckMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(CHECK_PERMISSION)


@hooks.register("register_admin_menu_item")
def finder_check_menu_item():
    return CheckMenuItem(_("Comprova el cercador"), reverse("finder_check"), icon_name="tasks", order=821)
