"""Secure verification codes (CSV): 100 random bits written in Crockford's base32."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 20 symbols of 5 bits: 100 bits from `secrets`
GROUP = 5
_READING_MISTAKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
_VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


class MalformedCsv(ValueError):
    """The text cannot be a verification code (wrong length or symbols)."""


def csv_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def csv_normalise(raw: str) -> str:
    """The stored form of a code as people type it: any case, spaces, hyphens, O for 0, I or L for 1."""
    code = _SEPARATORS.sub("", raw or "").upper().translate(_READING_MISTAKES)
    if not _VALID.match(code):
        raise MalformedCsv
    return code


def csv_display(code: str) -> str:
    """The code in groups of five, for reading aloud and typing: ABCDE-FGHJK-..."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
