from datetime import timedelta

import pytest
from sqlmodel import select

from models import AuditEvent, MailStatus, OutboxMail
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import MailNotFailed, MailNotFound, PermissionDenied
from services.mail import deliver_due
from services.outbox import list_undelivered_mails, retry_mail


def _add_mail(status, recipient="lotte@example.test", minutes_ago=0) -> int:
    now = utc_now()
    with write_session() as session:
        mail = OutboxMail(
            template="test",
            recipient=recipient,
            subject="Onderwerp",
            text_body="tekst",
            html_body="<p>tekst</p>",
            status=status,
            attempts=6 if status == MailStatus.FAILED else 0,
            last_error="550 5.1.1 No such mailbox" if status == MailStatus.FAILED else None,
            next_attempt_at=now + timedelta(hours=1),
            created_at=now - timedelta(minutes=minutes_ago),
        )
        session.add(mail)
        session.flush()
        return mail.id


def _stored(mail_id) -> OutboxMail:
    with read_session() as session:
        return session.get(OutboxMail, mail_id)


def test_list_shows_failed_then_queued(administrator):
    queued = _add_mail(MailStatus.QUEUED)
    _add_mail(MailStatus.SENT)
    old_failure = _add_mail(MailStatus.FAILED, minutes_ago=10)
    new_failure = _add_mail(MailStatus.FAILED)

    listed = list_undelivered_mails(actor_id=administrator.id)

    assert [mail.id for mail in listed] == [new_failure, old_failure, queued]
    assert listed[0].last_error == "550 5.1.1 No such mailbox"


@pytest.mark.parametrize("user_fixture", ["intermediary", "desk_staff"])
def test_mail_view_needs_administrator(request, database, user_fixture):
    actor = request.getfixturevalue(user_fixture)
    mail_id = _add_mail(MailStatus.FAILED)

    with pytest.raises(PermissionDenied):
        list_undelivered_mails(actor_id=actor.id)
    with pytest.raises(PermissionDenied):
        retry_mail(actor_id=actor.id, mail_id=mail_id)
    assert _stored(mail_id).status == MailStatus.FAILED


async def test_retry_delivers_failed_mail(administrator):
    mail_id = _add_mail(MailStatus.FAILED)

    retry_mail(actor_id=administrator.id, mail_id=mail_id)

    retried = _stored(mail_id)
    assert retried.status == MailStatus.QUEUED
    assert retried.attempts == 0
    assert retried.next_attempt_at <= utc_now()
    assert await deliver_due() == 1
    assert _stored(mail_id).status == MailStatus.SENT
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "mail.retried")).one()
    assert event.subject_id == mail_id
    assert event.actor_id == administrator.id


@pytest.mark.parametrize("status", [MailStatus.QUEUED, MailStatus.SENT])
def test_retry_only_failed_mail(administrator, status):
    mail_id = _add_mail(status)

    with pytest.raises(MailNotFailed):
        retry_mail(actor_id=administrator.id, mail_id=mail_id)


def test_retry_unknown_mail(administrator):
    with pytest.raises(MailNotFound):
        retry_mail(actor_id=administrator.id, mail_id=999_999)
