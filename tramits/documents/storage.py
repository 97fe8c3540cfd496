"""Private file storage: files that are served only through views that check the right to see them."""

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage


class PrivateFileURLError(RuntimeError):
    """Private files have no public URL; serve them through a view."""


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, never under MEDIA_URL."""

    @property
    def base_location(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return str(self.base_location.resolve())

    def url(self, name: str | None) -> str:
        raise PrivateFileURLError(name)


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of register attachments and issued documents (a callable, so migrations do not pin it)."""
    return _private_storage


CHUNK_BYTES = 64 * 1024


def content_chunks(content: bytes | IO[bytes] | File) -> Iterator[bytes]:
    """Bytes, an open file or a Django File as a stream of chunks, to hash and store without loading it all."""
    if isinstance(content, bytes | bytearray | memoryview):
        view = memoryview(content)
        for start in range(0, len(view), CHUNK_BYTES):
            yield bytes(view[start : start + CHUNK_BYTES])
        return
    if isinstance(content, File):
        yield from content.chunks(CHUNK_BYTES)
        return
    if content.seekable():
        content.seek(0)
    while chunk := content.read(CHUNK_BYTES):
        yield chunk
