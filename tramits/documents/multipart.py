"""Every part of a multipart body is accounted for: a part Django's parser would drop comes back as a lost upload.

Django's `MultiPartParser` skips a part without a word when it cannot read the part's headers
(a file name that is not UTF-8, say, makes the whole Content-Disposition line unreadable), when
the name of the file cleans up to nothing, or when a file comes with an empty name. A filing
would then be registered with a document missing. `PartsAccountedUploadHandler`, first in
`FILE_UPLOAD_HANDLERS`, runs the same parser while it reads the body's part headers beside it;
each part the parser left out is put in `request.FILES` as a `LostUpload` (empty, flagged) under
its field's name, or under `LOST_PARTS_KEY` when not even the name can be read, so every upload
check (wizard, desk, API) refuses it with a clear message instead of going on without it.
"""

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.utils.encoding import force_str
from django.utils.http import parse_header_parameters

logger = logging.getLogger(__name__)

LOST_PARTS_KEY = "seu-lost-parts"
# Django looks for the end of a part's headers in its first 1024 bytes (multipartparser.MAX_TOTAL_HEADER_SIZE).
HEADER_BYTES = 1024


class LostUpload(UploadedFile):
    """A part of the request that did not reach the form: empty, so even a check that ignores the flag refuses it."""

    seu_lost = True

    def __init__(self, field_name: str):
        super().__init__(file=io.BytesIO(), name=None, content_type="", size=0)
        self.field_name = field_name

    def __bool__(self) -> bool:
        return True  # something was sent: never to be taken for a file input left empty


def is_lost(upload) -> bool:
    return bool(getattr(upload, "seu_lost", False))


@dataclass
class _Part:
    head: bytearray
    size: int = 0
    tail: bytes = b""

    def add(self, data: bytes) -> None:
        room = HEADER_BYTES + 2 - len(self.head)
        if room > 0:
            self.head += data[:room]
        self.size += len(data)
        self.tail = (self.tail + data[-2:])[-2:]

    @property
    def content_size(self) -> int:
        """The part's bytes without the line break before the next boundary, as Django counts them."""
        if self.tail == b"\r\n":
            return self.size - 2
        return self.size - 1 if self.tail.endswith(b"\n") else self.size


class _PartScanner:
    """A read-through wrapper of the body that notes the start (headers) and the size of each part."""

    def __init__(self, stream, boundary: bytes):
        self._stream = stream
        self._separator = b"--" + boundary
        self._pending = b""
        self._part: _Part | None = None  # None: the preamble before the first boundary
        self.parts: list[_Part] = []

    def read(self, *args) -> bytes:
        data = self._stream.read(*args)
        self._feed(data)
        return data

    def _feed(self, data: bytes) -> None:
        if not data:
            self._take(self._pending)
            self._pending = b""
            return
        buffer = self._pending + data
        start = 0
        while (index := buffer.find(self._separator, start)) >= 0:
            self._take(buffer[start:index])
            self._part = _Part(head=bytearray())
            self.parts.append(self._part)
            start = index + len(self._separator)
        # Keep what could be the beginning of a separator cut in two by the read.
        cut = max(start, len(buffer) - len(self._separator) + 1)
        self._take(buffer[start:cut])
        self._pending = buffer[cut:]

    def _take(self, data: bytes) -> None:
        if self._part is not None and data:
            self._part.add(data)


@dataclass(frozen=True)
class _Verdict:
    kept: bool  # Django puts it in POST or FILES
    lost_file: bool  # a file that did not reach FILES
    name: str  # the field's name, "" when unreadable


def _disposition(header: bytes, *, strict: bool) -> dict | None:
    """The parameters of the last Content-Disposition line, read as Django reads them (strict) or as best we can."""
    found = None
    for line in header.split(b"\r\n"):
        try:
            key_value, params = parse_header_parameters(line.decode() if strict else line.decode("utf-8", "replace"))
            key, _value = key_value.split(":", 1)
        except (ValueError, LookupError):
            continue
        if key == "content-disposition":
            found = params
    return found


def _verdict(part: _Part, parser: MultiPartParser, encoding: str) -> _Verdict | None:
    """What Django made of one part; None for the closing boundary and empty padding."""
    size = part.content_size
    head = bytes(part.head[: max(min(size, HEADER_BYTES), 0)])
    if head.startswith(b"--") or not head.strip():
        return None
    header_end = head.find(b"\r\n\r\n")
    if header_end < 0:
        return _Verdict(kept=False, lost_file=False, name="")
    header = head[:header_end]
    body_size = size - header_end - 4
    disposition = _disposition(header, strict=True)
    if disposition is None or "name" not in disposition:
        readable = _disposition(header, strict=False) or {}
        name = readable.get("name", "").strip()
        return _Verdict(kept=False, lost_file="filename" in readable, name="" if "\ufffd" in name else name)
    name = force_str(disposition["name"].strip().encode(), encoding, errors="replace")
    if disposition.get("filename"):
        file_name = parser.sanitize_file_name(force_str(disposition["filename"].encode(), encoding, errors="replace"))
        return _Verdict(kept=bool(file_name), lost_file=not file_name, name=name)
    # An empty file name: Django keeps the part as a text field. Without content it is a file input left empty.
    return _Verdict(kept=True, lost_file="filename" in disposition and body_size > 0, name=name)


class PartsAccountedUploadHandler(FileUploadHandler):
    """Parse the body with the other handlers, then add a `LostUpload` for each part the parser dropped."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        handlers = [handler for handler in self.request.upload_handlers if not isinstance(handler, type(self))]
        scanner = _PartScanner(input_data, boundary if isinstance(boundary, bytes) else boundary.encode("ascii"))
        parser = MultiPartParser(META, scanner, handlers, encoding)
        post, files = parser.parse()
        encoding = encoding or settings.DEFAULT_CHARSET
        verdicts = [verdict for part in scanner.parts if (verdict := _verdict(part, parser, encoding)) is not None]
        lost = [verdict for verdict in verdicts if not verdict.kept or verdict.lost_file]
        received = sum(len(values) for _key, values in [*post.lists(), *files.lists()])
        # Anything else the parser or a handler skipped (a SkipFile, say) counts as lost too, without a name.
        unexplained = max(0, sum(verdict.kept for verdict in verdicts) - received)
        lost += [_Verdict(kept=False, lost_file=True, name="")] * unexplained
        for verdict in lost:
            files.appendlist(verdict.name or LOST_PARTS_KEY, LostUpload(verdict.name))
        if lost:
            unnamed = sum(not verdict.name for verdict in lost)
            logger.warning("documents.multipart_parts_lost count=%s unnamed=%s", len(lost), unnamed)
        return post, files

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
