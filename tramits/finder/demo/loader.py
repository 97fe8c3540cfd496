"""Load the finder demo: the question tree and the search synonyms, from the YAML beside this module."""

from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from tramits.finder.models import Answer, Question, Synonym

DATA = Path(__file__).parent
EDITOR_GROUPS = ["Editors de tràmits", "Aprovació de tràmits"]
EDITOR_PERMISSIONS = [
    f"{action}_{model}" for model in ("question", "answer", "synonym") for action in ("add", "change", "delete", "view")
] + ["view_assistantquestion"]


def _read(name: str) -> Any:
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _languages(data: dict | None, prefix: str) -> dict[str, str]:
    data = data or {}
    return {f"{prefix}_{code}": data.get(code, "") for code in ("ca", "es", "en")}


@transaction.atomic
def finder_demo_load() -> int:
    """Create the demo tree and synonyms where missing; what editors changed is left alone."""
    created = 0
    tree = _read("tree.yaml")
    questions = {}
    new_keys = set()
    for item in tree:
        question = Question.objects.filter(key=item["key"]).first()
        if question is None:
            question = Question.objects.create(
                key=item["key"],
                is_start=bool(item.get("start")) and not Question.objects.filter(is_start=True).exists(),
                **_languages(item["text"], "text"),
                **_languages(item.get("hint"), "hint"),
            )
            new_keys.add(question.key)
            created += 1
        questions[question.key] = question
    for item in tree:
        if item["key"] not in new_keys:
            continue
        for position, answer in enumerate(item["answers"]):
            Answer.objects.create(
                question=questions[item["key"]],
                sort_order=position,
                key=answer["key"],
                next_question=questions.get(answer.get("next", "")),
                codes=", ".join(answer.get("codes", [])),
                prefill=answer.get("prefill", ""),
                **_languages(answer["label"], "label"),
                **_languages(answer.get("explanation"), "explanation"),
            )
    for group, rules in _read("synonyms.yaml").items():
        language = "" if group == "all" else group
        for term, expansions in rules.items():
            _synonym, was_created = Synonym.objects.get_or_create(
                term=term, language=language, defaults={"expansions": expansions}
            )
            created += was_created
    permissions = Permission.objects.filter(content_type__app_label="finder", codename__in=EDITOR_PERMISSIONS)
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(*permissions)
    return created
