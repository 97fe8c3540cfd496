"""An antivirus hook: clamd's INSTREAM protocol over a socket, when CLAMAV_ADDRESS is set.

With CLAMAV_ADDRESS empty (the embedded default) nothing is scanned. When it is set, a file is
accepted only if clamd answers `stream: OK`; a `FOUND` answer, an error or no answer at all
(refused connection, timeout) rejects the upload, so a broken scanner never lets files through.
"""

import logging
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from tramits.documents import conf

logger = logging.getLogger(__name__)
CHUNK_BYTES = 64 * 1024


class ScanFailed(Exception):
    """The scanner could not give an answer."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/") or address.startswith("unix:"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address.removeprefix("unix:"))
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout)


def clamd_instream(chunks: Iterable[bytes], *, address: str, timeout: float) -> ScanResult:
    """Send the bytes to clamd with INSTREAM and read its verdict."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_BYTES):
                    piece = chunk[start : start + CHUNK_BYTES]
                    sock.sendall(struct.pack("!L", len(piece)) + piece)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except (OSError, ValueError) as error:
        raise ScanFailed(type(error).__name__) from error
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("OK") and "FOUND" not in answer:
        return ScanResult(clean=True)
    if answer.endswith("FOUND"):
        return ScanResult(clean=False, signature=answer.removeprefix("stream:").removesuffix("FOUND").strip())
    raise ScanFailed(answer[:100] or "empty answer")


def scan_upload(upload) -> ScanResult | None:
    """Scan an uploaded file when a scanner is configured; None when scanning is off."""
    address = conf.clamav_address()
    if not address:
        return None
    upload.seek(0)
    try:
        result = clamd_instream(upload.chunks(), address=address, timeout=conf.clamav_timeout())
    finally:
        upload.seek(0)
    if not result.clean:
        logger.warning("documents.upload_infected signature=%s", result.signature)
    return result
