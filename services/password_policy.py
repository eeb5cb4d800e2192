"""The rules a new password must meet, checked at registration, reset and change.

The policy follows the length-based approach of NIST SP 800-63B and OWASP ASVS: a minimum
length, a generous maximum, no composition rules (such as "one digit, one capital"), and a
check against passwords that attackers try first. Pasting is allowed on every page.
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from services.errors import (
    PasswordCommon,
    PasswordFromContext,
    PasswordMissing,
    PasswordRepeatMissing,
    PasswordsDiffer,
    PasswordTooLong,
    PasswordTooShort,
)

MINIMUM_LENGTH = 12
# Long enough for any passphrase; the cap only keeps a huge input from costing argon2 time.
MAXIMUM_LENGTH = 256
# Words anyone can guess for every account of this site.
SITE_WORDS = ("biebvoucher", "bibliotheek", "library", "bieb", "voucher", "limburg")
# Shorter parts of a name or address ("de", "nl") are too common to reject on.
MINIMUM_CONTEXT_WORD_LENGTH = 3
WORD_SEPARATORS = re.compile(r"[^0-9a-zà-öø-ÿ]+")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the 30,000 most common passwords of zxcvbn 4.4's list, in lower case."""
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def context_words(*texts: str | None) -> list[str]:
    """Split the site words and `texts` (name, e-mail address, organisation) into lower-case words.

    The result is ordered longest first, so "voedselbank" is removed before "bank".
    """
    words = set(SITE_WORDS)
    for text in texts:
        if not text:
            continue
        words.update(part for part in WORD_SEPARATORS.split(text.lower()) if len(part) >= MINIMUM_CONTEXT_WORD_LENGTH)
    return sorted(words, key=lambda word: (-len(word), word))


def check_new_password(password: str, repeat: str, *, context: Iterable[str]) -> None:
    """Raise the first rule the new password breaks; `context` comes from `context_words`."""
    if not password:
        raise PasswordMissing(minimum=MINIMUM_LENGTH)
    if len(password) < MINIMUM_LENGTH:
        raise PasswordTooShort(length=len(password), minimum=MINIMUM_LENGTH)
    if len(password) > MAXIMUM_LENGTH:
        raise PasswordTooLong(maximum=MAXIMUM_LENGTH)
    if password.lower() in common_passwords():
        raise PasswordCommon()
    _reject_context_password(password, context)
    if not repeat:
        raise PasswordRepeatMissing()
    if repeat != password:
        raise PasswordsDiffer()


def _reject_context_password(password: str, context: Iterable[str]) -> None:
    """Raise PasswordFromContext when the password without its context words is too short or common.

    "Bibliotheek2026!" leaves "2026!" and is rejected. "my library card is blue and green"
    leaves 26 characters of its own and is accepted.
    """
    rest = password.lower()
    found: list[str] = []
    for word in context:
        if word in rest:
            found.append(word)
            rest = rest.replace(word, "")
    if found and (len(rest) < MINIMUM_LENGTH or rest in common_passwords()):
        raise PasswordFromContext(word=found[0])
