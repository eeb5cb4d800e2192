"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for browser tests."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller

from tests.app_server import free_port

WAIT_SECONDS = 10.0


class MailCatcher:
    """aiosmtpd handler that keeps every received message in order and can misbehave on request.

    `drops` closes the connection at DATA that many times. `rcpt_reply` and `data_reply`
    replace the server's reply to RCPT TO and DATA, for example with "550 ...".
    """

    def __init__(self) -> None:
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self.drops = 0
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drops > 0:
            self.drops -= 1
            server.transport.close()
            return "421 closing"
        if self.data_reply:
            return self.data_reply
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._lock:
            self._messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        """Return every accepted message so far, oldest first."""
        with self._lock:
            return list(self._messages)

    def count(self) -> int:
        """Return how many messages arrived so far."""
        with self._lock:
            return len(self._messages)

    def messages_to(self, recipient: str, after: int = 0) -> list[EmailMessage]:
        """Return the messages to `recipient` among those that arrived after the first `after`."""
        with self._lock:
            return [message for message in self._messages[after:] if message["To"] == recipient]

    def wait_for(self, recipient: str, subject: str, after: int) -> EmailMessage:
        """Wait for a message to `recipient` with `subject` among those after the first `after`."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            for message in self.messages_to(recipient, after):
                if message["Subject"] == subject:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no mail {subject!r} to {recipient} arrived within {WAIT_SECONDS} s")


@contextmanager
def running_mail_server() -> Iterator[tuple[MailCatcher, int]]:
    """Run an SMTP server on a free port of 127.0.0.1. Yields its catcher and port."""
    catcher = MailCatcher()
    port = free_port()
    controller = Controller(catcher, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield catcher, port
    finally:
        controller.stop()
