"""The search meets its accuracy targets on the evaluation set (latency is the command's job)."""

from django.core.management import call_command

from tramits.finder.evaluation import finder_evaluate, questions_load


def test_accuracy_targets(demo_site):
    questions = questions_load()
    assert len(questions) >= 150
    assert {item["lang"] for item in questions} == {"ca", "es", "en"}
    report = finder_evaluate(questions=questions)
    misses = [(case.question, case.expected, case.found) for case in report.misses]
    assert report.top1 >= 0.90, misses
    assert report.top3 >= 0.98, misses


def test_command_prints_the_figures(demo_site, capsys):
    call_command("evaluate_finder")
    output = capsys.readouterr().out
    assert "top-1 accuracy:" in output and "top-3 accuracy:" in output and "p95 latency:" in output
