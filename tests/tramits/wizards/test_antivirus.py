"""The clamd INSTREAM hook against a fake clamd on TCP and on a unix socket."""

import socket
import socketserver
import struct
import threading

import pytest

from tests.tramits.wizards.helpers import PDF, Wizard, happy_steps, pdf
from tramits.wizards.antivirus import ScanFailed, clamd_instream
from tramits.wizards.models import Draft

EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class FakeClamd(socketserver.BaseRequestHandler):
    mode = "normal"

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack("!L", self._read(4))[0]
            if not size:
                break
            data += self._read(size)
        if self.mode == "silent":
            return
        if self.mode == "error":
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif EICAR_MARK in data:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")

    def _read(self, size):
        chunk = b""
        while len(chunk) < size:
            part = self.request.recv(size - len(chunk))
            if not part:
                raise ConnectionError
            chunk += part
        return chunk


@pytest.fixture
def clamd():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    FakeClamd.mode = "normal"


def address(server) -> str:
    return f"127.0.0.1:{server.server_address[1]}"


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
