"""A fake clamd speaking INSTREAM on TCP: `stream: OK`, or `FOUND` when the bytes carry the EICAR mark."""

import contextlib
import socketserver
import struct
import threading
from collections.abc import Iterator

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


@contextlib.contextmanager
def fake_clamd() -> Iterator[socketserver.ThreadingTCPServer]:
    """A fake clamd listening on a free local port while the block runs."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        FakeClamd.mode = "normal"


def address(server) -> str:
    return f"127.0.0.1:{server.server_address[1]}"
