"""Fixtures for page tests with NiceGUI's `user` fixture, on a copy of the demo database."""

import shutil
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User

from services import db
from services.demo import DEMO_PASSWORD, seed_demo_if_empty
from services.settings import get_settings


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


async def log_in(user: User, email: str, path: str = "/", heading: str = "Voucheroverzicht") -> None:
    """Log in through the login page as a demo account and wait for the page at `path`."""
    await user.open(f"/login?redirect_to={path}")
    user.find("E-mailadres").type(email)
    user.find(kind=ui.input, content="Wachtwoord").type(DEMO_PASSWORD)
    user.find(marker="login-submit").click()
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
