"""Private file storage: files that are served only through views that check the right to see them."""

from pathlib import Path

from django.conf import settings
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
