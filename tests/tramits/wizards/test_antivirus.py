"""The clamd INSTREAM hook against a fake clamd on TCP and on a unix socket."""

import socket
import socketserver
import threading

import pytest

from tests.tramits.documents.clamd import EICAR_MARK, FakeClamd, address, fake_clamd
from tests.tramits.wizards.helpers import PDF, Wizard, happy_steps, pdf
from tramits.documents.antivirus import ScanFailed, clamd_instream
from tramits.wizards.models import Draft


@pytest.fixture
def clamd():
    with fake_clamd() as server:
        yield server


def test_instream_says_ok_or_found(clamd):
    assert clamd_instream([PDF], address=address(clamd), timeout=2).clean
    result = clamd_instream([PDF, EICAR_MARK], address=address(clamd), timeout=2)
    assert not result.clean and result.signature == "Eicar-Test-Signature"


def test_instream_over_a_unix_socket(tmp_path):
    path = str(tmp_path / "clamd.sock")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert clamd_instream([PDF], address=path, timeout=2).clean
    finally:
        server.shutdown()
        server.server_close()


def test_no_answer_or_an_error_is_a_failure(clamd):
    FakeClamd.mode = "error"
    with pytest.raises(ScanFailed):
        clamd_instream([PDF], address=address(clamd), timeout=2)
    FakeClamd.mode = "silent"
    with pytest.raises(ScanFailed):
        clamd_instream([PDF], address=address(clamd), timeout=2)


def test_unreachable_scanner_is_a_failure():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ScanFailed):
        clamd_instream([PDF], address=f"127.0.0.1:{port}", timeout=1)


def _documents_step(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA")[:2])
    return wizard


def test_infected_upload_is_refused(seu, clamd, settings):
    settings.CLAMAV_ADDRESS = address(clamd)
    wizard = _documents_step(seu)
    response = wizard.post("documents", {}, {"document_1": pdf("virus.pdf", PDF + EICAR_MARK)})
    assert "no ha superat la revisió antivirus" in response.content.decode()
    assert "documents" not in Draft.objects.get().data["step_files"]
    assert wizard.post("documents", {}, {"document_1": pdf("net.pdf")}).status_code == 302


def test_upload_is_refused_when_the_scanner_cannot_answer(seu, settings):
    settings.CLAMAV_ADDRESS = "127.0.0.1:9"
    settings.CLAMAV_TIMEOUT = 1
    wizard = _documents_step(seu)
    response = wizard.post("documents", {}, {"document_1": pdf()})
    assert "no podem revisar el fitxer amb l&#x27;antivirus" in response.content.decode()
