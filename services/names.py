"""Holder names as typed: every letter kept, blanks tidied, control characters rejected."""

import unicodedata

from services.errors import DomainError

MAX_NAME_LENGTH = 100

# Bidirectional embedding, override and isolate controls make a name display in another order
# than it is stored, so the desk would compare an ID with something else than what is on file.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_name(value: str | None, *, too_long: type[DomainError], invalid: type[DomainError]) -> str | None:
    """Return the name trimmed, with single spaces and in NFC form; None when empty.

    Tabs and line breaks count as blanks. Any other control character raises `invalid`, a
    name longer than MAX_NAME_LENGTH characters raises `too_long`. Letters with accents,
    apostrophes, hyphens and particles such as "van der" stay as typed.
    """
    name = unicodedata.normalize("NFC", " ".join((value or "").split()))
    if any(_is_rejected(character) for character in name):
        raise invalid()
    if len(name) > MAX_NAME_LENGTH:
        raise too_long(maximum=MAX_NAME_LENGTH, length=len(name))
    return name or None


def _is_rejected(character: str) -> bool:
    return unicodedata.category(character) in {"Cc", "Cs", "Co"} or character in _BIDI_CONTROLS
