"""The administrator's view of mail that is not delivered yet: queued and failed mails, and retrying them."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from models import MailStatus, OutboxMail
from services.audit import record_event
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import MailNotFailed, MailNotFound
from services.permissions import Action, load_actor, require

logger = logging.getLogger(__name__)

MAX_LISTED = 200


@dataclass(frozen=True)
class UndeliveredMail:
    """A queued or failed mail as listed for administrators, without the body, which may contain a one-time link."""

    id: int
    recipient: str
    subject: str
    template: str
    status: MailStatus
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_error: str | None


def list_undelivered_mails(*, actor_id: int) -> list[UndeliveredMail]:
    """Return the failed mails, then the queued ones, each newest first (at most MAX_LISTED)."""
    with read_session() as session:
        require(load_actor(session, actor_id), Action.MANAGE_MAIL)
        statement = (
            select(OutboxMail)
            .where(col(OutboxMail.status).in_([MailStatus.FAILED, MailStatus.QUEUED]))
            .order_by(col(OutboxMail.status), col(OutboxMail.created_at).desc(), col(OutboxMail.id).desc())
            .limit(MAX_LISTED)
        )
        mails = list(session.exec(statement))
    return [
        UndeliveredMail(
            id=mail.id or 0,
            recipient=mail.recipient,
            subject=mail.subject,
            template=mail.template,
            status=mail.status,
            attempts=mail.attempts,
            created_at=mail.created_at,
            next_attempt_at=mail.next_attempt_at,
            last_error=mail.last_error,
        )
        for mail in mails
    ]


def retry_mail(*, actor_id: int, mail_id: int) -> None:
    """Queue a failed mail again, due now and with the full series of retries.

    Queued mail is left alone: it may be in the middle of a delivery, and a second claim would send it twice.
    """
    now = utc_now()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_MAIL)
        mail = session.get(OutboxMail, mail_id)
        if mail is None:
            raise MailNotFound()
        if mail.status != MailStatus.FAILED:
            raise MailNotFailed()
        before = {"status": mail.status.value, "attempts": mail.attempts}
        mail.attempts = 0
        mail.status = MailStatus.QUEUED
        mail.next_attempt_at = now
        session.add(mail)
        record_event(
            session,
            actor_id=actor.id,
            action="mail.retried",
            subject_type="outbox_mail",
            subject_id=mail_id,
            before=before,
            after={"status": MailStatus.QUEUED.value, "attempts": mail.attempts},
        )
    logger.info("mail retry requested id=%d by user=%d", mail_id, actor_id)
