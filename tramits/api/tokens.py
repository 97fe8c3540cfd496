"""The shape of a service token: a public prefix to find its row, then a secret; only a digest is stored."""

import hashlib
import hmac
import secrets

PREFIX_LENGTH = 12


def token_generate() -> str:
    """A new plain token, `<12 hex>.<43 url-safe characters>` (256 random bits after the prefix)."""
    return f"{secrets.token_hex(PREFIX_LENGTH // 2)}.{secrets.token_urlsafe(32)}"


def token_prefix(key: str) -> str:
    """The look-up part: the first 12 characters (tokens migrated from DRF's 40-hex keys have no dot)."""
    return key[:PREFIX_LENGTH]


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_matches(key: str, digest: str) -> bool:
    """Whether the presented token is the one whose digest is stored, in constant time."""
    return hmac.compare_digest(token_digest(key), digest)
