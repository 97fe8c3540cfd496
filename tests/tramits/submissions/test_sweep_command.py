"""The sweep can be run by hand in the embedded mode, where no beat process runs."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_sweep_command_reports_what_it_queued(capsys):
    call_command("submissions_sweep")
    assert capsys.readouterr().out.strip() == "registrations: 0, confirmations: 0"
