"""Helpers that read mail in tests: text parts, one-time links and the outbox table."""

import re
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import cast

from sqlmodel import col, select

from models import OutboxMail
from services.db import read_session

LINK_PATTERN = re.compile(r"https?://\S+\?token=[A-Za-z0-9_-]+")


def body_text(message: EmailMessage, subtype: str = "plain") -> str:
    """Return the text of the message's text/plain (or text/html) part."""
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"mail has no text/{subtype} part"
    return str(cast(EmailMessage, part).get_content())


def link_in(text: str) -> str:
    """Return the one-time link in a mail text."""
    match = LINK_PATTERN.search(text)
    assert match, f"no link in mail text: {text!r}"
    return match.group(0)


def token_of(link: str) -> str:
    return link.rsplit("token=", 1)[1]


def queued_mails(recipient: str) -> list[OutboxMail]:
    """Return the outbox mails to `recipient`, oldest first, leaving out the login codes of test logins."""
    with read_session() as session:
        statement = (
            select(OutboxMail)
            .where(OutboxMail.recipient == recipient, OutboxMail.template != "login_code")
            .order_by(col(OutboxMail.id))
        )
        return list(session.exec(statement))


def latest_token(recipient: str) -> str:
    """Return the token of the link in the newest outbox mail to `recipient` that has a link."""
    for mail in reversed(queued_mails(recipient)):
        if LINK_PATTERN.search(mail.text_body):
            return token_of(link_in(mail.text_body))
    raise AssertionError(f"no mail with a link to {recipient}")


def eml_files(outbox: Path, recipient: str) -> list[EmailMessage]:
    """Return the .eml files in `outbox` addressed to `recipient`, oldest first."""
    if not outbox.exists():
        return []
    messages = [
        cast(EmailMessage, message_from_bytes(path.read_bytes(), policy=default))
        for path in sorted(outbox.glob("*.eml"))
    ]
    return [message for message in messages if message["To"] == recipient]


def mailed_token(recipient: str, outbox: Path) -> str | None:
    """Return the token of the newest link mailed to `recipient`, from the outbox table or, once delivered, its .eml.

    Returns None while no such mail exists, so callers can poll.
    """
    for mail in reversed(queued_mails(recipient)):
        if LINK_PATTERN.search(mail.text_body):
            return token_of(link_in(mail.text_body))
    for message in reversed(eml_files(outbox, recipient)):
        text = body_text(message)
        if LINK_PATTERN.search(text):
            return token_of(link_in(text))
    return None
