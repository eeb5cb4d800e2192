"""A user's own preferences: the language of their pages and mails."""

import logging

from models import User
from services.audit import record_event
from services.db import write_session
from services.errors import LocaleUnknown, NotAuthenticated
from services.i18n import DEFAULT_LOCALE, LOCALES
from services.permissions import load_actor

logger = logging.getLogger(__name__)


def choose_locale(*, actor_id: int, locale: str) -> str:
    """Store `locale` as the actor's language and return it. Every active user may choose their own."""
    if locale not in LOCALES:
        raise LocaleUnknown()
    with write_session() as session:
        load_actor(session, actor_id)
        user = session.get(User, actor_id)
        if user is None:
            raise NotAuthenticated()
        previous = user.locale
        if previous == locale:
            return locale
        user.locale = locale
        session.add(user)
        record_event(
            session,
            actor_id=actor_id,
            action="user.locale_changed",
            subject_type="user",
            subject_id=actor_id,
            before={"locale": previous},
            after={"locale": locale},
        )
    logger.info("locale chosen user=%d locale=%s", actor_id, locale)
    return locale


def mail_locale(user: User | None, fallback: str = DEFAULT_LOCALE) -> str:
    """Return the language to write to `user` in: their own choice, else `fallback`."""
    if user is not None and user.locale in LOCALES:
        return user.locale
    return fallback if fallback in LOCALES else DEFAULT_LOCALE
