"""Password changes: the forgotten-password reset by mail and the change on the account page.

A reset link follows the rules of an invitation link (random token, only its hash stored,
single use) and works for RESET_LIFETIME. Both kinds of change mail a notice to the account.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from models import Organisation, PasswordReset, User
from services import clock
from services.accounts import end_user_sessions, hash_token
from services.audit import record_event
from services.db import read_session, write_session
from services.errors import (
    CurrentPasswordMissing,
    CurrentPasswordWrong,
    NotAuthenticated,
    ResetLinkExpired,
    ResetLinkInvalid,
    ResetLinkUsed,
)
from services.i18n import N_, format_value
from services.links import PASSWORD_RESET_LINK_PATH, link_url, new_link_token, normalise_email
from services.mail import MailTemplate, queue_mail
from services.password_policy import check_new_password, context_words
from services.passwords import hash_password, verify_password
from services.permissions import load_actor
from services.preferences import mail_locale

logger = logging.getLogger(__name__)

RESET_LIFETIME = timedelta(hours=1)
# Keeps anyone with a known address from flooding its mailbox.
# Requests over the limit get the same response and no mail.
RESET_MAILS_PER_HOUR = 3
PASSWORD_RESET_MAIL = MailTemplate(
    name="password_reset",
    subject=N_("Set a new password for biebvoucher"),
    paragraphs=(
        N_("Hello {name},"),
        N_("Someone asked to set a new password for your biebvoucher account {email}."),
        N_("Choose a new password with the link below. The link works once and until {expires}."),
        N_("Did you not ask for this? Then ignore this mail; your password stays the same."),
    ),
    link_label=N_("Choose a new password"),
)
PASSWORD_CHANGED_MAIL = MailTemplate(
    name="password_changed",
    subject=N_("Your biebvoucher password was changed"),
    paragraphs=(
        N_("Hello {name},"),
        N_("The password of your biebvoucher account {email} was changed on {when}."),
        N_("Did you not do this yourself? Then contact your administrator at once."),
    ),
)


@dataclass(frozen=True)
class ResetPreview:
    """The account details that the reset page shows for a valid link."""

    email: str


def request_password_reset(*, email: str, locale: str) -> None:
    """Mail a reset link to an active account with this address; otherwise do nothing.

    The caller shows the same response either way, so the page does not reveal which addresses
    have an account. The mail itself is sent after the commit, by the delivery loop, so its
    sending time does not show in the response time either.
    """
    address = normalise_email(email)
    now = clock.utc_now()
    token, token_hash = new_link_token()
    with write_session() as session:
        user = session.exec(select(User).where(User.email == address)).first()
        organisation = session.get(Organisation, user.organisation_id) if user else None
        if user is None or not user.active or organisation is None or not organisation.active:
            logger.info("password reset requested for an address without an active account")
            return
        recent = session.exec(
            select(func.count())
            .select_from(PasswordReset)
            .where(PasswordReset.user_id == user.id, col(PasswordReset.created_at) > now - timedelta(hours=1))
        ).one()
        if recent >= RESET_MAILS_PER_HOUR:
            logger.warning("password reset not sent user=%d: %d links in the last hour", user.id, recent)
            return

        session.exec(
            update(PasswordReset)
            .where(
                col(PasswordReset.user_id) == user.id,
                col(PasswordReset.used_at).is_(None),
                col(PasswordReset.replaced_at).is_(None),
            )
            .values(replaced_at=now)
        )
        reset = PasswordReset(
            user_id=user.id or 0, token_hash=token_hash, created_at=now, expires_at=now + RESET_LIFETIME
        )
        session.add(reset)
        session.flush()
        locale = mail_locale(user, locale)
        queue_mail(
            session,
            to=user.email,
            template=PASSWORD_RESET_MAIL,
            locale=locale,
            name=user.name,
            email=user.email,
            expires=format_value(locale, reset.expires_at),
            link=link_url(PASSWORD_RESET_LINK_PATH, token),
        )
        record_event(
            session, actor_id=user.id, action="user.password_reset_requested", subject_type="user", subject_id=user.id
        )
    logger.info("password reset link queued user=%d reset=%d", user.id, reset.id)


def open_password_reset(token: str | None) -> ResetPreview:
    """Return what the reset page shows for a valid token; raise why the token is not valid."""
    now = clock.utc_now()
    with read_session() as session:
        _reset, user, _organisation = _valid_reset(session, token, now)
        return ResetPreview(email=user.email)


def _valid_reset(session: Session, token: str | None, now: datetime) -> tuple[PasswordReset, User, Organisation]:
    reset = None
    if token:
        reset = session.exec(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token))).first()
    user = session.get(User, reset.user_id) if reset else None
    organisation = session.get(Organisation, user.organisation_id) if user else None
    if reset is None or user is None or organisation is None or reset.replaced_at is not None:
        raise ResetLinkInvalid()
    if not user.active or not organisation.active:
        raise ResetLinkInvalid()
    if reset.used_at is not None:
        raise ResetLinkUsed()
    if reset.expires_at <= now:
        raise ResetLinkExpired(when=reset.expires_at)
    return reset, user, organisation


def reset_password(*, token: str | None, password: str, password_repeat: str, locale: str) -> str:
    """Set a new password through a reset link and end every session of the account; returns its e-mail address."""
    now = clock.utc_now()
    with read_session() as session:
        _reset, user, organisation = _valid_reset(session, token, now)
    check_new_password(password, password_repeat, context=context_words(user.name, user.email, organisation.name))
    password_hash = hash_password(password)

    with write_session() as session:
        reset, user, _organisation = _valid_reset(session, token, now)
        used = session.exec(
            update(PasswordReset)
            .where(col(PasswordReset.id) == reset.id, col(PasswordReset.used_at).is_(None))
            .values(used_at=now)
        )
        if not used.rowcount:
            raise ResetLinkUsed()
        user.password_hash = password_hash
        session.add(user)
        # Someone who knew the old password may still be logged in, so a reset ends every session.
        ended = end_user_sessions(session, user.id or 0)
        _queue_changed_notice(session, user, now, locale)
        record_event(session, actor_id=user.id, action="user.password_reset", subject_type="user", subject_id=user.id)
    logger.info("password reset done user=%d sessions_ended=%d", user.id, ended)
    return user.email


def change_password(
    *,
    actor_id: int,
    current_password: str,
    new_password: str,
    password_repeat: str,
    keep_session_token: str | None,
    locale: str,
) -> int:
    """Change the actor's own password and end their other sessions; returns how many ended."""
    if not current_password:
        raise CurrentPasswordMissing()
    with read_session() as session:
        actor = load_actor(session, actor_id)
        user = session.get(User, actor.id)
        if user is None:
            raise NotAuthenticated()
    if not verify_password(current_password, user.password_hash):
        logger.info("password change rejected user=%d: wrong current password", actor_id)
        raise CurrentPasswordWrong()
    check_new_password(
        new_password, password_repeat, context=context_words(user.name, user.email, actor.organisation_name)
    )
    password_hash = hash_password(new_password)

    now = clock.utc_now()
    with write_session() as session:
        load_actor(session, actor_id)
        user = session.get(User, actor_id)
        if user is None:
            raise NotAuthenticated()
        user.password_hash = password_hash
        session.add(user)
        ended = end_user_sessions(session, actor_id, keep_token=keep_session_token)
        _queue_changed_notice(session, user, now, locale)
        record_event(
            session, actor_id=actor_id, action="user.password_changed", subject_type="user", subject_id=actor_id
        )
    logger.info("password changed user=%d other_sessions_ended=%d", actor_id, ended)
    return ended


def _queue_changed_notice(session: Session, user: User, now: datetime, locale: str) -> None:
    locale = mail_locale(user, locale)
    queue_mail(
        session,
        to=user.email,
        template=PASSWORD_CHANGED_MAIL,
        locale=locale,
        name=user.name,
        email=user.email,
        when=format_value(locale, now),
    )
