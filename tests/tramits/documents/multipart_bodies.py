"""Raw multipart/form-data bodies, byte by byte, to send what a browser or a library would never build."""

BOUNDARY = "seu-test-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def field(name: str, value: str) -> bytes:
    return f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode()


def file(name: bytes, filename: bytes, content: bytes, content_type: bytes = b"application/pdf") -> bytes:
    return (
        b'Content-Disposition: form-data; name="' + name + b'"; filename="' + filename + b'"\r\n'
        b"Content-Type: " + content_type + b"\r\n\r\n" + content
    )


def body(*parts: bytes) -> bytes:
    separator = f"--{BOUNDARY}\r\n".encode()
    return b"".join(separator + part + b"\r\n" for part in parts) + f"--{BOUNDARY}--\r\n".encode()


def fields(data: dict) -> list[bytes]:
    """The text fields of a dict, repeated for lists; files are left to the caller."""
    parts = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(field(name, str(item)))
    return parts
