"""The guided finder (one question per page, answers in the URL) and the assistant page."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from content.models import TramitPage
from tramits.catalogue.procedures import get_procedure
from tramits.finder.prefill import prefill_parse, prefill_query
from tramits.finder.selectors import MAX_QUERY_LENGTH, assistant_reply, query_clean
from tramits.finder.services import assistant_question_record
from tramits.finder.tree import Walk, tree_load, tree_walk

MAX_STEPS = 20
_KEY = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")


def _language() -> str:
    return (get_language() or "ca")[:2]


def _finder_url(keys: list[str], **extra: str) -> str:
    query = urlencode([("resposta", key) for key in keys] + [(name, value) for name, value in extra.items() if value])
    return reverse("finder:step") + (f"?{query}" if query else "")


@dataclass
class Outcome:
    """One procedure the finder leads to, with where to read about it and where to start it."""

    code: str
    title: str
    summary: str
    guide_url: str
    start_url: str
    online: bool


def _guides(codes: list[str]) -> dict[str, TramitPage]:
    """The live guide of each code in the visitor's language, in Catalan when it has none."""
    pages = TramitPage.objects.live().public().filter(code__in=codes, locale__language_code__in={_language(), "ca"})
    by_code: dict[str, TramitPage] = {}
    for page in pages.select_related("locale"):
        if page.code not in by_code or page.locale.language_code == _language():
            by_code[page.code] = page
    return by_code


def outcomes_for(codes: list[str], *, prefill: dict[str, str]) -> list[Outcome]:
    """The procedures of a result, in the visitor's language, with the wizard's prefill."""
    guides = _guides(codes)
    query = prefill_query(prefill)
    result = []
    for code in codes:
        procedure = get_procedure(code)
        if procedure is None:
            continue
        page = guides.get(code)
        start = reverse("wizards:start", kwargs={"code": code})
        result.append(
            Outcome(
                code=code,
                title=page.title if page and page.locale.language_code == _language() else procedure.title(_language()),
                summary=page.summary if page and page.locale.language_code == _language() else "",
                guide_url=reverse("tramit_redirect", kwargs={"code": code}),
                start_url=f"{start}?{query}" if query else start,
                online=procedure.online,
            )
        )
    return result


def _answered(walk: Walk) -> list[dict]:
    """The answers so far, each with a link that reopens its question to change it."""
    keys = [step.answer.key for step in walk.steps]
    return [
        {"question": step.question, "answer": step.answer, "change_url": _finder_url(keys[:position], marcada=key)}
        for position, (step, key) in enumerate(zip(walk.steps, keys, strict=True))
    ]


@require_GET
def step(request: HttpRequest) -> HttpResponse:
    """One question of the guided finder, or the outcome once an answer names procedures."""
    tree = tree_load()
    if tree.start is None:
        raise Http404("The finder has no questions yet")
    keys = [key for key in request.GET.getlist("resposta")[:MAX_STEPS] if _KEY.match(key)]
    submitted_from = request.GET.get("pregunta", "")
    walk = tree_walk(tree, keys=keys)
    valid_keys = [step.answer.key for step in walk.steps]
    moved_on = walk.outcome is not None or (walk.question is not None and walk.question.key != submitted_from)
    if submitted_from and moved_on and not walk.invalid:
        # A chosen answer: show the next step at its clean, shareable address.
        return redirect(_finder_url(valid_keys))
    answered = _answered(walk)
    back_url = _finder_url(valid_keys[:-1], marcada=valid_keys[-1]) if valid_keys else ""
    if walk.outcome is not None and not walk.invalid:
        prefill: dict[str, str] = {}
        for taken in walk.steps:
            prefill.update(prefill_parse(taken.answer.prefill))
        context = {
            "answered": answered,
            "answer": walk.outcome,
            "outcomes": outcomes_for(walk.outcome.code_list, prefill=prefill),
            "back_url": back_url,
            "restart_url": _finder_url([]),
        }
        return render(request, "finder/outcome.html", context)
    question = walk.question or tree.start
    if walk.question is None:
        valid_keys, answered = [], []
    error = ""
    if submitted_from == question.key or walk.invalid:
        error = _("Trieu una de les respostes.")
    marked = request.GET.get("marcada", "")
    context = {
        "question": question,
        "answers": tree.answers[question.pk],
        "keys": valid_keys,
        "answered": answered,
        "marked": marked,
        "error": error,
        "back_url": back_url,
        "step_number": len(valid_keys) + 1,
    }
    return render(request, "finder/step.html", context, status=200)


@require_http_methods(["GET", "POST"])
def assistant(request: HttpRequest) -> HttpResponse:
    """ "Troba el teu tràmit": a question in one's own words, the best procedures, maybe one question back.

    The question travels by POST so that it never lands in an address or a server log.
    """
    context: dict = {"max_length": MAX_QUERY_LENGTH, "error": ""}
    if request.method == "POST":
        question = query_clean(request.POST.get("pregunta", ""))
        choice = request.POST.get("aclariment", "")
        context["question"] = question
        if not question:
            context["error"] = _("Escriviu què necessiteu, amb les vostres paraules.")
            return render(request, "finder/assistant.html", context, status=200)
        if not choice:
            assistant_question_record(text=question)
        reply = assistant_reply(question=question, language=_language())
        hits = reply.hits
        if choice and reply.clarification is not None:
            chosen = [code for answer, code in reply.clarification.options if answer.key == choice]
            hits = sorted(hits, key=lambda hit: hit.code not in chosen)
            context["chosen"] = chosen[0] if chosen else ""
            reply.clarification = None
        guides = _guides([hit.code for hit in hits])
        context["hits"] = [
            {
                "hit": hit,
                "title": hit.title,
                "why": _why(hit, guides.get(hit.code)),
                "url": reverse("tramit_redirect", kwargs={"code": hit.code}),
            }
            for hit in hits
        ]
        context["clarification"] = reply.clarification
    return render(request, "finder/assistant.html", context)


def _why(hit, page: TramitPage | None) -> str:
    """One line on why a procedure is proposed: the citizen's words it matched and what it is for."""
    summary = (page.summary if page is not None else hit.summary) or ""
    first_sentence = summary.split(". ")[0].rstrip(".")
    words = ", ".join(f"«{word}»" for word in hit.matched[:2])
    if words and first_sentence:
        return _("Hi coincideix %(words)s. %(summary)s.") % {"words": words, "summary": first_sentence}
    return first_sentence or (_("Hi coincideix %(words)s.") % {"words": words})
