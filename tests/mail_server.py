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
    """aiosmtpd handler that keeps every received message in order."""

    def __init__(self) -> None:
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._lock:
            self._messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

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
