"""Mail delivery against a real SMTP server on 127.0.0.1, and the .eml outbox of the demo."""

import asyncio
import logging
from datetime import timedelta

import pytest

from models import MailStatus, OutboxMail
from services.clock import utc_now
from services.db import read_session, write_session
from services.i18n import N_
from services.mail import RETRY_DELAYS, MailTemplate, deliver_due, queue_mail, render_mail
from services.settings import get_settings
from tests.app_server import free_port
from tests.mail_helpers import body_text, eml_files
from tests.mail_server import running_mail_server

TEST_MAIL = MailTemplate(
    name="test",
    subject=N_("Invitation to biebvoucher"),
    paragraphs=(N_("Hello {name},"),),
    link_label=N_("Create your account"),
)
RECIPIENT = "lotte@example.test"


@pytest.fixture
def smtp(monkeypatch):
    """Run a real SMTP server and point the settings at it, without TLS."""
    with running_mail_server() as (handler, port):
        _use_smtp(monkeypatch, port)
        yield handler


def _use_smtp(monkeypatch, port):
    monkeypatch.setenv("BIEBVOUCHER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BIEBVOUCHER_SMTP_PORT", str(port))
    monkeypatch.setenv("BIEBVOUCHER_SMTP_SECURITY", "none")
    get_settings.cache_clear()


def _queue(name="Lotte <b>", link="https://biebvoucher.example/register/open?token=abc&x=1") -> int:
    with write_session() as session:
        mail = queue_mail(session, to=RECIPIENT, template=TEST_MAIL, locale="nl", name=name, link=link)
        session.flush()
        return mail.id


def _stored(mail_id) -> OutboxMail:
    with read_session() as session:
        return session.get(OutboxMail, mail_id)


def test_render_mail_escapes_html():
    rendered = render_mail(TEST_MAIL, "nl", {"name": "<script>", "link": "https://x.example/?a=1&b=2"})

    assert "<script>" not in rendered.html_body
    assert "&lt;script&gt;" in rendered.html_body
    assert 'href="https://x.example/?a=1&amp;b=2"' in rendered.html_body
    assert "Hallo <script>," in rendered.text_body
    assert "https://x.example/?a=1&b=2" in rendered.text_body


async def test_smtp_delivers_text_and_html(database, smtp):
    mail_id = _queue()

    delivered = await deliver_due()

    assert delivered == 1
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == RECIPIENT
    assert message["Subject"] == "Uitnodiging voor biebvoucher"
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    assert "Hallo Lotte <b>," in body_text(message, "plain")
    assert "Hallo Lotte &lt;b&gt;," in body_text(message, "html")
    stored = _stored(mail_id)
    assert stored.status == MailStatus.SENT
    assert stored.attempts == 1
    assert stored.text_body == ""
    assert stored.html_body == ""


async def test_dropped_connection_retried(database, smtp):
    smtp.drops = 1
    mail_id = _queue()
    start = utc_now()

    assert await deliver_due(now=start) == 0
    after_drop = _stored(mail_id)
    assert after_drop.status == MailStatus.QUEUED
    assert after_drop.attempts == 1
    assert after_drop.next_attempt_at == start + timedelta(seconds=10)
    assert "SMTPServerDisconnected" in after_drop.last_error
    assert await deliver_due(now=start + timedelta(seconds=9)) == 0

    assert await deliver_due(now=start + timedelta(seconds=10)) == 1
    assert _stored(mail_id).status == MailStatus.SENT
    assert len(smtp.messages) == 1


@pytest.mark.parametrize("stage", ["rcpt", "data"])
async def test_550_marks_failed_and_logs(database, smtp, caplog, stage):
    if stage == "rcpt":
        smtp.rcpt_reply = "550 5.1.1 No such mailbox"
    else:
        smtp.data_reply = "550 5.7.1 Message rejected"
    mail_id = _queue()

    with caplog.at_level(logging.ERROR, logger="services.mail"):
        assert await deliver_due() == 0

    stored = _stored(mail_id)
    assert stored.status == MailStatus.FAILED
    assert stored.attempts == 1
    assert "550" in stored.last_error
    assert stored.text_body != ""
    assert any(f"id={mail_id}" in record.getMessage() for record in caplog.records if record.levelno == logging.ERROR)


async def test_temporary_refusal_retried(database, smtp):
    smtp.data_reply = "451 4.3.0 Try again later"
    mail_id = _queue()

    assert await deliver_due() == 0

    stored = _stored(mail_id)
    assert stored.status == MailStatus.QUEUED
    assert "451" in stored.last_error


async def test_unreachable_server_retried_then_failed(database, monkeypatch):
    _use_smtp(monkeypatch, free_port())
    mail_id = _queue()
    moment = utc_now()

    for delay in RETRY_DELAYS:
        assert await deliver_due(now=moment) == 0
        stored = _stored(mail_id)
        assert stored.status == MailStatus.QUEUED
        assert stored.next_attempt_at == moment + delay
        moment = stored.next_attempt_at
    assert await deliver_due(now=moment) == 0

    stored = _stored(mail_id)
    assert stored.status == MailStatus.FAILED
    assert stored.attempts == len(RETRY_DELAYS) + 1


async def test_parallel_rounds_send_once(database, smtp):
    _queue()

    results = await asyncio.gather(deliver_due(), deliver_due())

    assert sorted(results) == [0, 1]
    assert len(smtp.messages) == 1


async def test_unbuildable_mail_does_not_block_queue(database, smtp):
    with write_session() as session:
        broken = OutboxMail(
            template="test",
            recipient=RECIPIENT,
            subject="line one\nBcc: someone@example.test",
            text_body="x",
            html_body="<p>x</p>",
            next_attempt_at=utc_now() - timedelta(seconds=1),
            created_at=utc_now(),
        )
        session.add(broken)
        session.flush()
        broken_id = broken.id
    good_id = _queue()

    assert await deliver_due() == 1

    assert _stored(broken_id).status == MailStatus.FAILED
    assert _stored(good_id).status == MailStatus.SENT
    assert len(smtp.messages) == 1


async def test_without_smtp_writes_eml(database):
    mail_id = _queue()

    assert await deliver_due() == 1

    outbox = get_settings().data_dir / "outbox"
    messages = eml_files(outbox, RECIPIENT)
    assert len(messages) == 1
    assert messages[0]["Subject"] == "Uitnodiging voor biebvoucher"
    assert "Hallo Lotte <b>," in body_text(messages[0], "plain")
    assert "Hallo Lotte &lt;b&gt;," in body_text(messages[0], "html")
    assert list(outbox.glob(f"*-{mail_id:06d}-test.eml"))
    assert _stored(mail_id).status == MailStatus.SENT
