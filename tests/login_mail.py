"""Reading login codes from mail, for tests and benchmarks that log in as a user would."""

import re
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from tests.mail_helpers import body_text

LOGIN_CODE = re.compile(r"\b(\d{6})\b")
WAIT_SECONDS = 10.0


def code_in_text(text: str) -> str:
    """Return the 6-digit login code in a mail's plain text."""
    match = LOGIN_CODE.search(text)
    assert match, f"no 6-digit code in the mail text: {text!r}"
    return match.group(1)


def read_eml(path: Path) -> EmailMessage:
    """Parse an .eml file from the outbox folder."""
    with path.open("rb") as file:
        return BytesParser(policy=policy.default).parse(file)  # type: ignore[return-value]


def outbox_files(outbox_dir: Path, template: str = "login_code") -> set[Path]:
    """Return the .eml files of `template` in the outbox folder."""
    return set(outbox_dir.glob(f"*-{template}.eml")) if outbox_dir.exists() else set()


def wait_for_outbox_code(outbox_dir: Path, email: str, seen: set[Path]) -> str:
    """Wait for a login-code mail to `email` that is not in `seen`, and return its code."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for path in sorted(outbox_files(outbox_dir) - seen, reverse=True):
            message = read_eml(path)
            if message["To"] == email:
                return code_in_text(body_text(message))
        time.sleep(0.05)
    raise AssertionError(f"no login-code mail to {email} appeared in {outbox_dir} within {WAIT_SECONDS} s")
