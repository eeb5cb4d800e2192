"""Fixtures for page tests with NiceGUI's `user` fixture, on a copy of the demo database."""

import asyncio
import shutil
from pathlib import Path

import pytest
from nicegui.testing import User
from sqlmodel import col, func, select

from models import OutboxMail
from models import User as Account
from services import db
from services.conduct import version_to_accept
from services.db import read_session
from services.demo import DEMO_PASSWORD, seed_demo_if_empty
from services.settings import get_settings
from tests.login_mail import code_in_text, read_eml
from tests.mail_helpers import body_text


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a migrated SQLite file with the demo data, made once per test run."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    db.migrate(url)
    db.configure(url)
    seed_demo_if_empty()
    db.get_engine().dispose()
    return path


@pytest.fixture(autouse=True)
def patient_should_see(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let `should_see` wait up to 3 s instead of 0.3 s: a password hash alone takes 0.1-0.3 s."""
    original = User.should_see

    async def should_see(self: User, *args: object, retries: int = 30, **kwargs: object) -> None:
        await original(self, *args, retries=retries, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(User, "should_see", should_see)


@pytest.fixture(autouse=True)
def demo_database(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app at a fresh copy of the demo database before main.py runs."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("BIEBVOUCHER_DATABASE_URL", url)
    get_settings.cache_clear()
    return url


def last_mail_id() -> int:
    """Return the id of the newest mail in the outbox table, or 0."""
    with read_session() as session:
        return session.exec(select(func.max(OutboxMail.id))).one() or 0


async def login_code_for(email: str, after_id: int) -> str:
    """Wait for a login-code mail to `email` newer than `after_id` and return its code.

    The code comes from the outbox table while the mail waits there, and from the .eml file in
    the outbox folder once the delivery loop has written it (delivery clears the stored body).
    """
    for _ in range(100):
        with read_session() as session:
            statement = (
                select(OutboxMail)
                .where(OutboxMail.recipient == email, OutboxMail.template == "login_code")
                .where(col(OutboxMail.id) > after_id)
                .order_by(col(OutboxMail.id).desc())
            )
            mail = session.exec(statement).first()
        if mail is not None and mail.text_body:
            return code_in_text(mail.text_body)
        if mail is not None:
            files = list((get_settings().data_dir / "outbox").glob(f"*-{mail.id:06d}-login_code.eml"))
            if files:
                return code_in_text(body_text(read_eml(files[0])))
        await asyncio.sleep(0.05)
    raise AssertionError(f"no login-code mail to {email} after mail {after_id}")


def conduct_due(email: str) -> bool:
    """Return whether the account still has to accept the current code of conduct."""
    with read_session() as session:
        user_id = session.exec(select(Account.id).where(Account.email == email)).one()
        return version_to_accept(session, user_id or 0) is not None


async def enter_password(user: User, email: str, password: str = DEMO_PASSWORD) -> int:
    """Fill in the password step; returns the newest mail id from before, for `login_code_for`."""
    before = last_mail_id()
    user.find(marker="login-email").type(email)
    user.find(marker="login-password").type(password)
    user.find(marker="login-submit").click()
    await user.should_see(marker="code-sent")
    return before


async def log_in(user: User, email: str, path: str = "/", heading: str = "Voucheroverzicht") -> None:
    """Log in as a demo account with password and mailed code, accept the code of conduct if asked,
    and wait for the page at `path`."""
    await user.open(f"/login?redirect_to={path}")
    before = await enter_password(user, email)
    accept = conduct_due(email)
    user.find(marker="login-code").type(await login_code_for(email, before))
    user.find(marker="code-submit").click()
    if accept:
        await user.should_see(marker="conduct-accept")
        user.find(marker="conduct-accept").click()
        await user.should_not_see(marker="conduct-accept", retries=30)
    await user.should_see(heading)


def table_rows(user: User, marker: str = "voucher-table") -> list[dict]:
    """Return the rows the table currently contains; should_see does not look inside tables."""
    return user.find(marker=marker).elements.pop().rows


async def wait_for(condition, timeout: float = 3.0) -> None:
    """Poll `condition` until it is true; background refreshes finish a little after a click."""
    import asyncio

    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    assert condition(), "condition not met in time"


def field_error(user: User, marker: str) -> str | None:
    """Return the error message shown below the field with `marker`, or None when it shows none."""
    element = user.find(marker=marker).elements.pop()
    if not element.props.get("error"):
        return None
    return element.props.get("error-message")
