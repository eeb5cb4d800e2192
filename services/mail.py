"""E-mail: templates, the outbox and delivery.

A service that sends mail calls `queue_mail` inside its own transaction, so the mail exists
exactly when the change that caused it was committed. `deliver_due` then sends what is due:
through SMTP when `BIEBVOUCHER_SMTP_HOST` is set, otherwise as `.eml` files in the outbox
folder (the demo). Connection errors and temporary refusals (4xx) are retried after
`RETRY_DELAYS`; a permanent refusal (5xx) marks the mail failed at once.

Several app processes may share one database, so each process claims a due mail with a
conditional UPDATE before sending it, and only the process whose UPDATE changed the row sends.
"""

import asyncio
import html
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import aiosmtplib
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.mail import MailStatus, OutboxMail
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import DatabaseUnavailable
from services.i18n import N_, translate
from services.metrics import MAIL_FAILURES
from services.settings import Settings, get_settings

logger = logging.getLogger(__name__)

RETRY_DELAYS = tuple(timedelta(seconds=seconds) for seconds in (10, 30, 60, 5 * 60, 15 * 60))
BATCH_SIZE = 20
POLL_SECONDS = 1.0
SMTP_TIMEOUT_SECONDS = 20
# A claimed mail is due again after this time, so a process that dies while sending loses no mail.
# It is well above SMTP_TIMEOUT_SECONDS, so a slow delivery is not sent twice.
CLAIM_SECONDS = 5 * 60
FOOTER = N_("This message was sent by biebvoucher, the voucher programme of the libraries in Limburg.")


@dataclass(frozen=True)
class MailTemplate:
    """A mail's texts as catalogue message ids; `{placeholders}` are filled from the parameters.

    `link_label` names the button for the `link` parameter; leave it None for mails without one.
    """

    name: str
    subject: str
    paragraphs: tuple[str, ...]
    link_label: str | None = None


@dataclass(frozen=True)
class RenderedMail:
    """A template translated and filled in."""

    subject: str
    text_body: str
    html_body: str


def render_mail(template: MailTemplate, locale: str, params: dict[str, str]) -> RenderedMail:
    """Translate `template` into `locale` and fill in `params`, as plain text and HTML."""
    paragraphs = [translate(locale, paragraph, **params) for paragraph in template.paragraphs]
    footer = translate(locale, FOOTER)
    link = params.get("link")
    text_parts = list(paragraphs)
    html_parts = [f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs]
    if template.link_label and link:
        label = translate(locale, template.link_label)
        text_parts.append(f"{label}: {link}")
        html_parts.append(
            f'<p><a href="{html.escape(link, quote=True)}" style="display:inline-block;padding:10px 18px;'
            f'background:#1d4f91;color:#ffffff;text-decoration:none;border-radius:4px">{html.escape(label)}</a></p>'
            f'<p style="font-size:13px;color:#444">{html.escape(link)}</p>'
        )
    text_body = "\n\n".join([*text_parts, "--", footer]) + "\n"
    html_body = (
        f'<!DOCTYPE html><html lang="{html.escape(locale)}"><body style="font-family:Arial,sans-serif;'
        f'font-size:16px;color:#1a1a1a;max-width:600px">{"".join(html_parts)}'
        f'<hr><p style="font-size:13px;color:#444">{html.escape(footer)}</p></body></html>'
    )
    return RenderedMail(subject=translate(locale, template.subject, **params), text_body=text_body, html_body=html_body)


def queue_mail(session: Session, *, to: str, template: MailTemplate, locale: str = "nl", **params: str) -> OutboxMail:
    """Add a mail to the outbox in the caller's transaction; it is sent after the commit."""
    rendered = render_mail(template, locale, params)
    now = utc_now()
    mail = OutboxMail(
        template=template.name,
        recipient=to,
        subject=rendered.subject,
        text_body=rendered.text_body,
        html_body=rendered.html_body,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(mail)
    return mail


class PermanentRefusal(Exception):
    """Rejection of a message by the mail server for good (a 5xx reply)."""


def _message(mail: OutboxMail, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = make_msgid(domain="biebvoucher")
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


async def _send_smtp(message: EmailMessage, settings: Settings) -> None:
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_user or None,
            password=settings.smtp_password.get_secret_value() or None,
            use_tls=settings.smtp_security == "tls",
            start_tls=settings.smtp_security == "starttls",
            timeout=SMTP_TIMEOUT_SECONDS,
        )
    except aiosmtplib.SMTPResponseException as error:
        if error.code >= 500:
            raise PermanentRefusal(f"{error.code} {error.message}") from error
        raise
    except aiosmtplib.SMTPRecipientsRefused as error:
        # aiosmtplib raises this (not an SMTPResponseException) when the server refuses every
        # recipient at RCPT TO, the usual reply for an unknown mailbox. Each mail has one recipient.
        codes = [refusal.code for refusal in error.recipients]
        if codes and min(codes) >= 500:
            details = "; ".join(f"{refusal.code} {refusal.message}" for refusal in error.recipients)
            raise PermanentRefusal(details) from error
        raise


def _write_eml(mail: OutboxMail, message: EmailMessage, outbox_dir: Path) -> Path:
    outbox_dir.mkdir(parents=True, exist_ok=True)
    path = outbox_dir / f"{mail.created_at:%Y%m%d-%H%M%S}-{mail.id:06d}-{mail.template}.eml"
    path.write_bytes(bytes(message))
    return path


def _due_statement(now: datetime) -> SelectOfScalar[OutboxMail]:
    return (
        select(OutboxMail)
        .where(OutboxMail.status == MailStatus.QUEUED, col(OutboxMail.next_attempt_at) <= now)
        .order_by(col(OutboxMail.next_attempt_at), col(OutboxMail.id))
        .limit(BATCH_SIZE)
    )


def _due_mails(now: datetime) -> list[OutboxMail]:
    """Take up to BATCH_SIZE due mails for this process, so no other process sends them too."""
    # A cheap read first, so an empty queue costs no write lock on SQLite every second.
    with read_session() as session:
        if session.exec(_due_statement(now)).first() is None:
            return []
    # SKIP LOCKED lets processes on PostgreSQL take different mails at the same moment. SQLite
    # ignores it, but runs write transactions one at a time, so the second process reads the
    # moved next_attempt_at and skips the mail.
    with write_session() as session:
        mails = list(session.exec(_due_statement(now).with_for_update(skip_locked=True)))
        for mail in mails:
            mail.next_attempt_at = now + timedelta(seconds=CLAIM_SECONDS)
            session.add(mail)
        session.flush()
        for mail in mails:
            session.expunge(mail)
        return mails


def _record_result(mail_id: int, *, error: str | None, permanent: bool, now: datetime) -> None:
    with write_session() as session:
        mail = session.get(OutboxMail, mail_id)
        if mail is None:
            return
        mail.attempts += 1
        if error is None:
            mail.status = MailStatus.SENT
            mail.sent_at = now
            mail.text_body = ""
            mail.html_body = ""
            mail.last_error = None
        elif permanent or mail.attempts > len(RETRY_DELAYS):
            mail.status = MailStatus.FAILED
            mail.last_error = error[:500]
        else:
            mail.next_attempt_at = now + RETRY_DELAYS[mail.attempts - 1]
            mail.last_error = error[:500]
        session.add(mail)


async def deliver_due(now: datetime | None = None) -> int:
    """Send every mail that is due at `now` (default: the current time); returns how many were delivered."""
    settings = get_settings()
    moment = now or utc_now()
    mails = await asyncio.to_thread(_due_mails, moment)
    delivered = 0
    for mail in mails:
        error, permanent = await _deliver_one(mail, settings)
        await asyncio.to_thread(_record_result, mail.id or 0, error=error, permanent=permanent, now=moment)
        delivered += error is None
    return delivered


async def _deliver_one(mail: OutboxMail, settings: Settings) -> tuple[str | None, bool]:
    """Send or write one mail; returns the error text (None on success) and whether it is permanent."""
    try:
        message = _message(mail, settings)
        if settings.smtp_host:
            await _send_smtp(message, settings)
            logger.info("mail sent id=%d template=%s", mail.id, mail.template)
        else:
            path = _write_eml(mail, message, settings.data_dir / "outbox")
            logger.info("mail written to outbox id=%d template=%s file=%s", mail.id, mail.template, path.name)
    except PermanentRefusal as refusal:
        logger.error("mail rejected permanently id=%d template=%s: %s", mail.id, mail.template, refusal)
        MAIL_FAILURES.labels(kind="permanent").inc()
        return str(refusal), True
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as failure:
        error = f"{type(failure).__name__}: {failure}"
        logger.warning("mail delivery failed id=%d attempt=%d, will retry: %s", mail.id, mail.attempts + 1, error)
        MAIL_FAILURES.labels(kind="temporary").inc()
        return error, False
    except Exception as failure:
        # A mail that cannot even be built (a bad header, say) would otherwise stop the queue
        # behind it on every round, so it is marked failed and the administrator can see it.
        logger.exception("mail could not be delivered id=%d template=%s", mail.id, mail.template)
        MAIL_FAILURES.labels(kind="permanent").inc()
        return f"{type(failure).__name__}: {failure}", True
    return None, False


async def run_delivery_loop(poll_seconds: float = POLL_SECONDS) -> None:
    """Deliver due mail until cancelled; started by main.py with the server."""
    logger.info("mail delivery started smtp=%s", bool(get_settings().smtp_host))
    try:
        while True:
            try:
                await deliver_due()
            except DatabaseUnavailable:
                # An outage is expected now and then; the queued mail waits in the database.
                logger.warning("mail delivery round skipped: database unavailable")
            except Exception:
                logger.exception("mail delivery round failed")
            await asyncio.sleep(poll_seconds)
    finally:
        logger.info("mail delivery stopped")
