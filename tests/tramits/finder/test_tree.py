"""The tree check finds unreachable questions, dead ends and loops; the admin shows it with a diagram."""

import pytest

from tests.helpers.auth import login_staff_with_mfa
from tramits.catalogue.procedures import BY_CODE
from tramits.finder.models import Answer, Question
from tramits.finder.tree import tree_check, tree_clarification, tree_load, tree_walk


def question(key: str, *, start: bool = False) -> Question:
    return Question.objects.create(key=key, is_start=start, text_ca=key, text_es=key)


def answer(on: Question, key: str, *, to: Question | None = None, codes: str = "") -> Answer:
    return Answer.objects.create(question=on, key=key, label_ca=key, label_es=key, next_question=to, codes=codes)


@pytest.fixture
def empty_tree(db):
    Question.objects.all().delete()


def test_demo_tree_is_sound_and_covers_the_catalogue(demo_site):
    report = tree_check(tree_load())
    assert report.ok
    assert report.uncovered_codes == []
    assert len(BY_CODE) == 24


def test_unreachable_question_is_reported(empty_tree):
    start = question("inici", start=True)
    answer(start, "a", codes="PADRO-ALTA")
    orphan = question("orfe")
    answer(orphan, "b", codes="PADRO-VOLANT")
    report = tree_check(tree_load())
    assert [q.key for q in report.unreachable] == ["orfe"]
    assert not report.ok


def test_dead_end_is_reported(empty_tree):
    start = question("inici", start=True)
    answer(start, "enlloc")
    answer(start, "be", codes="PADRO-ALTA")
    report = tree_check(tree_load())
    assert [a.key for a in report.dead_ends] == ["enlloc"]
    assert not report.ok


def test_loop_is_reported(empty_tree):
    start = question("inici", start=True)
    first, second = question("u"), question("dos")
    answer(start, "cap-a-u", to=first)
    answer(first, "cap-a-dos", to=second)
    answer(second, "torna", to=first)
    answer(second, "surt", codes="PADRO-ALTA")
    report = tree_check(tree_load())
    assert [[q.key for q in loop] for loop in report.loops] == [["u", "dos"]]
    # Walking a loop never hangs: a repeated question ends the walk as invalid.
    walk = tree_walk(tree_load(), keys=["cap-a-u", "cap-a-dos", "torna", "cap-a-dos", "torna"])
    assert walk.invalid


def test_missing_start_is_reported(empty_tree):
    answer(question("sola"), "a", codes="PADRO-ALTA")
    assert tree_check(tree_load()).missing_start


def test_clarification_is_the_question_that_separates_two_procedures(demo_site):
    clarification = tree_clarification(tree_load(), first="PADRO-CANVI-DOMICILI", second="PADRO-ALTA")
    assert clarification is not None
    assert clarification.question.key == "origen"
    assert [code for _answer, code in clarification.options] == ["PADRO-CANVI-DOMICILI", "PADRO-ALTA"]


def test_admin_check_lists_problems_and_draws_the_tree(client, demo_site, django_user_model):
    orphan = question("pregunta-perduda")
    answer(orphan, "sense-sortida")
    admin = django_user_model.objects.create_superuser(email="admin@seu.example", password="x")
    login_staff_with_mfa(client, admin)
    response = client.get("/admin/cercador/comprovacio/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "pregunta-perduda" in html.split('id="inaccessibles"')[1].split("</ul>")[0]
    assert "sense-sortida" in html.split('id="atzucacs"')[1].split("</ul>")[0]
    assert 'class="finder-diagram"' in html and "PADRO-CANVI-DOMICILI" in html


def test_admin_check_needs_the_finder_permission(client, demo_site, django_user_model):
    user = django_user_model.objects.create_user(email="ningu@seu.example", password="x", is_staff=True)
    login_staff_with_mfa(client, user)
    assert client.get("/admin/cercador/comprovacio/").status_code in {302, 403}
