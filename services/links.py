"""One-time links in mail: random tokens, their stored hashes, the link addresses and the mail addresses they go to."""

import re
import secrets

from services.accounts import hash_token
from services.errors import EmailMissing, InvalidEmail
from services.settings import get_settings

# 32 random bytes are 256 bits, twice the 128 bits that OWASP ASVS requires of such tokens.
TOKEN_BYTES = 32
# NOTE: ui/signup_routes.py serves these paths. The token travels only in this first request;
# the route keeps it in the signed browser session and redirects to an address without it.
REGISTRATION_LINK_PATH = "/register/open"
PASSWORD_RESET_LINK_PATH = "/reset-password/open"  # noqa: S105  (a path, not a password)

MAXIMUM_EMAIL_LENGTH = 254
# One @, a dot in the domain, and no whitespace or control characters, which could break a mail header.
EMAIL_PATTERN = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")


def new_link_token() -> tuple[str, str]:
    """Return a new random token for a link and the SHA-256 hash under which it is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def link_url(path: str, token: str) -> str:
    """Return the absolute address of a one-time link, for a mail."""
    return f"{get_settings().resolved_public_url}{path}?token={token}"


def normalise_email(raw: str | None) -> str:
    """Return the address trimmed and in lower case; raise EmailMissing or InvalidEmail."""
    address = (raw or "").strip().lower()
    if not address:
        raise EmailMissing()
    if len(address) > MAXIMUM_EMAIL_LENGTH or not EMAIL_PATTERN.fullmatch(address):
        raise InvalidEmail(value=(raw or "").strip()[:MAXIMUM_EMAIL_LENGTH])
    return address
