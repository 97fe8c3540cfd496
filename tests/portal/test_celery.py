"""Every periodic task is declared in one schedule, names a real task, and the apps do not reach into the project."""

import ast
from pathlib import Path

import tramits
from portal.celery import app


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    assert app.conf.beat_schedule
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name


def test_no_domain_module_imports_the_project_package():
    offenders = []
    for path in Path(tramits.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name == "portal" or name.startswith("portal.") for name in names):
                offenders.append(str(path))
    assert offenders == []
