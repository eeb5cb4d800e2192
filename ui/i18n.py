"""Translation for pages: the locale is kept per browser in a cookie."""

import logging

from nicegui import ui

from services.errors import DomainError
from services.i18n import DEFAULT_LOCALE, normalise_locale, translate, translate_plural

logger = logging.getLogger(__name__)

LOCALE_COOKIE = "biebvoucher_locale"


def current_locale() -> str:
    """Return the locale of the current browser, Dutch unless English was chosen."""
    try:
        request = ui.context.client.request
    except RuntimeError:
        return DEFAULT_LOCALE
    if request is None:
        return DEFAULT_LOCALE
    return normalise_locale(request.cookies.get(LOCALE_COOKIE, DEFAULT_LOCALE))


def _(message: str, /, **params: object) -> str:
    """Translate `message` into the current locale."""
    return translate(current_locale(), message, **params)


def ngettext(singular: str, plural: str, count: int, /, **params: object) -> str:
    """Translate a message whose form depends on `count`."""
    return translate_plural(current_locale(), singular, plural, count, **params)


def error_text(error: DomainError) -> str:
    """Return the message of a domain error in the current locale."""
    return error.render(current_locale())


def rejection_text(error: DomainError, *, action: str, user_id: int, **ids: object) -> str:
    """Log a rejected user action with its ids (never the typed values), and return its message."""
    details = " ".join(f"{name}={value}" for name, value in ids.items())
    logger.info("%s rejected user=%d error=%s %s", action, user_id, error.code, details)
    return error_text(error)
