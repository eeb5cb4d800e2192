"""Invitations by administrators and the registration that uses them.

An invitation link carries a random token; only its SHA-256 hash is stored. The link works
once and for INVITATION_LIFETIME. A resend stores a new hash, so the old link stops working.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Invitation, Organisation, Role, User
from services import clock
from services.accounts import hash_token
from services.audit import record_event
from services.db import read_session, write_session
from services.directory import add_user
from services.errors import (
    AccountAlreadyExists,
    EmailAlreadyRegistered,
    InvitationAlreadyOpen,
    InvitationClosed,
    InvitationExpired,
    InvitationNotFound,
    InvitationRevoked,
    InvitationUsed,
    InviteeOrganisationRequired,
    NameMissing,
    NameTooLong,
    OrganisationNotFound,
    RoleNotForOrganisation,
    RoleRequired,
)
from services.i18n import DEFAULT_LOCALE, N_, format_value, translate
from services.links import REGISTRATION_LINK_PATH, link_url, new_link_token, normalise_email
from services.mail import MailTemplate, queue_mail
from services.password_policy import check_new_password, context_words
from services.passwords import hash_password
from services.permissions import Action, load_actor, require
from services.voucher_labels import ROLE_LABELS

logger = logging.getLogger(__name__)

INVITATION_LIFETIME = timedelta(days=7)
MAXIMUM_NAME_LENGTH = 200
INVITATION_MAIL = MailTemplate(
    name="invitation",
    subject=N_("Invitation to biebvoucher"),
    paragraphs=(
        N_("Hello,"),
        N_(
            "{inviter} invites you to biebvoucher, the system for the free library membership for Limburg "
            "residents on a low income."
        ),
        N_("Organisation: {organisation}. Role: {role}."),
        N_("Create your account with the link below. The link works once and until {expires}."),
        N_("Did you not expect this invitation? Then ignore this mail; no account is created without the link."),
    ),
    link_label=N_("Create your account"),
)


@dataclass(frozen=True)
class InvitationView:
    """An open invitation as the administrator's list shows it."""

    id: int
    email: str
    role: Role
    organisation_name: str
    invited_by_name: str
    sent_at: datetime
    send_count: int
    expires_at: datetime
    expired: bool


@dataclass(frozen=True)
class InvitationPreview:
    """The invitation details that the registration page shows for a valid link."""

    email: str
    role: Role
    organisation_name: str


def invite_user(*, actor_id: int, email: str, role: Role | str | None, organisation_id: int | None) -> InvitationView:
    """Create an invitation and queue its mail; an expired invitation for the same address is replaced."""
    address = normalise_email(email)
    invited_role = _parse_role(role)
    now = clock.utc_now()
    token, token_hash = new_link_token()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.INVITE_USERS)
        organisation = _invitee_organisation(session, organisation_id, invited_role)
        if session.exec(select(User.id).where(User.email == address)).first() is not None:
            raise EmailAlreadyRegistered(email=address)
        _replace_expired_invitations(session, address, now)

        invitation = Invitation(
            email=address,
            role=invited_role,
            organisation_id=organisation.id or 0,
            token_hash=token_hash,
            invited_by_id=actor.id,
            created_at=now,
            sent_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        session.add(invitation)
        session.flush()
        _queue_invitation_mail(session, invitation, token, organisation.name, actor.name)
        record_event(
            session,
            actor_id=actor.id,
            action="user.invited",
            subject_type="invitation",
            subject_id=invitation.id,
            after={"email": address, "role": invited_role.value, "organisation_id": organisation.id},
        )
        view = _view(invitation, organisation.name, actor.name, now)
    logger.info("invitation created id=%d by user=%d", view.id, actor_id)
    return view


def _parse_role(role: Role | str | None) -> Role:
    if role is None:
        raise RoleRequired()
    try:
        return Role(role)
    except ValueError:
        raise RoleRequired() from None


def _invitee_organisation(session: Session, organisation_id: int | None, role: Role) -> Organisation:
    if organisation_id is None:
        raise InviteeOrganisationRequired()
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not organisation.active:
        raise OrganisationNotFound()
    # Only library staff of a library may redeem, so library staff elsewhere could do nothing of their own.
    if role == Role.LIBRARY_STAFF and not organisation.is_library:
        raise RoleNotForOrganisation(organisation=organisation.name)
    return organisation


def _replace_expired_invitations(session: Session, address: str, now: datetime) -> None:
    """Raise InvitationAlreadyOpen for a live invitation to `address`; revoke expired ones."""
    pending = session.exec(
        select(Invitation).where(
            Invitation.email == address, col(Invitation.accepted_at).is_(None), col(Invitation.revoked_at).is_(None)
        )
    ).all()
    for invitation in pending:
        if invitation.expires_at > now:
            raise InvitationAlreadyOpen(email=address, when=invitation.sent_at)
        invitation.revoked_at = now
        session.add(invitation)
        logger.info("expired invitation replaced id=%d", invitation.id)


def _queue_invitation_mail(
    session: Session, invitation: Invitation, token: str, organisation: str, inviter: str
) -> None:
    # The invitee has chosen no language yet, so the mail is in the default language.
    locale = DEFAULT_LOCALE
    queue_mail(
        session,
        to=invitation.email,
        template=INVITATION_MAIL,
        locale=locale,
        inviter=inviter,
        organisation=organisation,
        role=translate(locale, ROLE_LABELS[invitation.role]),
        expires=format_value(locale, invitation.expires_at),
        link=link_url(REGISTRATION_LINK_PATH, token),
    )


def resend_invitation(*, actor_id: int, invitation_id: int) -> InvitationView:
    """Send an open or expired invitation again with a new link valid for INVITATION_LIFETIME."""
    now = clock.utc_now()
    token, token_hash = new_link_token()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.INVITE_USERS)
        invitation = session.get(Invitation, invitation_id)
        if invitation is None or invitation.accepted_at is not None or invitation.revoked_at is not None:
            raise InvitationClosed()
        organisation = _invitee_organisation(session, invitation.organisation_id, invitation.role)

        invitation.token_hash = token_hash
        invitation.sent_at = now
        invitation.expires_at = now + INVITATION_LIFETIME
        invitation.send_count += 1
        session.add(invitation)
        _queue_invitation_mail(session, invitation, token, organisation.name, actor.name)
        record_event(
            session,
            actor_id=actor.id,
            action="invitation.resent",
            subject_type="invitation",
            subject_id=invitation.id,
            after={"send_count": invitation.send_count},
        )
        inviter = session.get(User, invitation.invited_by_id)
        view = _view(invitation, organisation.name, inviter.name if inviter else "", now)
    logger.info("invitation resent id=%d by user=%d", invitation_id, actor_id)
    return view


def revoke_invitation(*, actor_id: int, invitation_id: int) -> None:
    """Revoke an open invitation, so its link stops working."""
    now = clock.utc_now()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.INVITE_USERS)
        result = session.exec(
            update(Invitation)
            .where(
                col(Invitation.id) == invitation_id,
                col(Invitation.accepted_at).is_(None),
                col(Invitation.revoked_at).is_(None),
            )
            .values(revoked_at=now)
        )
        if not result.rowcount:
            raise InvitationClosed()
        record_event(
            session, actor_id=actor.id, action="invitation.revoked", subject_type="invitation", subject_id=invitation_id
        )
    logger.info("invitation revoked id=%d by user=%d", invitation_id, actor_id)


def list_open_invitations(*, actor_id: int) -> list[InvitationView]:
    """Return the invitations that are neither accepted nor revoked, expired ones included, newest first."""
    now = clock.utc_now()
    with read_session() as session:
        require(load_actor(session, actor_id), Action.INVITE_USERS)
        rows = session.exec(
            select(Invitation, Organisation.name, User.name)
            .join(Organisation, col(Organisation.id) == Invitation.organisation_id)
            .join(User, col(User.id) == Invitation.invited_by_id)
            .where(col(Invitation.accepted_at).is_(None), col(Invitation.revoked_at).is_(None))
            .order_by(col(Invitation.sent_at).desc(), col(Invitation.id).desc())
        ).all()
    return [_view(invitation, organisation, inviter, now) for invitation, organisation, inviter in rows]


def _view(invitation: Invitation, organisation_name: str, inviter_name: str, now: datetime) -> InvitationView:
    return InvitationView(
        id=invitation.id or 0,
        email=invitation.email,
        role=invitation.role,
        organisation_name=organisation_name,
        invited_by_name=inviter_name,
        sent_at=invitation.sent_at,
        send_count=invitation.send_count,
        expires_at=invitation.expires_at,
        expired=invitation.expires_at <= now,
    )


def open_invitation(token: str | None) -> InvitationPreview:
    """Return what registration shows for a valid invitation token; raise why the token is not valid."""
    now = clock.utc_now()
    with read_session() as session:
        invitation, organisation = _valid_invitation(session, token, now)
        return InvitationPreview(email=invitation.email, role=invitation.role, organisation_name=organisation.name)


def _valid_invitation(session: Session, token: str | None, now: datetime) -> tuple[Invitation, Organisation]:
    invitation = None
    if token:
        invitation = session.exec(select(Invitation).where(Invitation.token_hash == hash_token(token))).first()
    if invitation is None:
        raise InvitationNotFound()
    if invitation.accepted_at is not None:
        raise InvitationUsed()
    organisation = session.get(Organisation, invitation.organisation_id)
    if invitation.revoked_at is not None or organisation is None or not organisation.active:
        raise InvitationRevoked()
    if invitation.expires_at <= now:
        raise InvitationExpired(when=invitation.expires_at)
    return invitation, organisation


def register_user(*, token: str | None, name: str, password: str, password_repeat: str) -> str:
    """Create the account of a valid invitation and use up the invitation; returns the account's e-mail address."""
    full_name = _clean_name(name)
    now = clock.utc_now()
    with read_session() as session:
        invitation, organisation = _valid_invitation(session, token, now)
    check_new_password(password, password_repeat, context=context_words(full_name, invitation.email, organisation.name))
    password_hash = hash_password(password)

    try:
        with write_session() as session:
            # Checked again in this transaction: the link may have been used or revoked during hashing.
            invitation, organisation = _valid_invitation(session, token, now)
            if session.exec(select(User.id).where(User.email == invitation.email)).first() is not None:
                raise AccountAlreadyExists(email=invitation.email)
            user = add_user(
                session,
                email=invitation.email,
                name=full_name,
                role=invitation.role,
                organisation=organisation,
                password_hash=password_hash,
            )
            _accept(session, invitation, user.id or 0, now)
            user_id = user.id or 0
    except IntegrityError:
        # Another registration for the same address committed first (the e-mail column is unique).
        raise InvitationUsed() from None
    logger.info("user registered user=%d invitation=%d", user_id, invitation.id)
    return invitation.email


def _accept(session: Session, invitation: Invitation, user_id: int, now: datetime) -> None:
    result = session.exec(
        update(Invitation)
        .where(
            col(Invitation.id) == invitation.id,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
        .values(accepted_at=now, user_id=user_id)
    )
    if not result.rowcount:
        raise InvitationUsed()
    record_event(
        session,
        actor_id=user_id,
        action="user.registered",
        subject_type="user",
        subject_id=user_id,
        after={
            "invitation_id": invitation.id,
            "role": invitation.role.value,
            "organisation_id": invitation.organisation_id,
        },
    )


def _clean_name(name: str | None) -> str:
    full_name = " ".join((name or "").split())
    if not full_name:
        raise NameMissing()
    if len(full_name) > MAXIMUM_NAME_LENGTH:
        raise NameTooLong(maximum=MAXIMUM_NAME_LENGTH)
    return full_name


def invitation_organisations(*, actor_id: int) -> list[tuple[int, str, bool]]:
    """Return (id, name, is_library) of the active organisations a new user can be invited to, by name."""
    with read_session() as session:
        require(load_actor(session, actor_id), Action.INVITE_USERS)
        organisations = session.exec(
            select(Organisation).where(col(Organisation.active).is_(True)).order_by(col(Organisation.name))
        ).all()
    return [(organisation.id or 0, organisation.name, organisation.is_library) for organisation in organisations]
