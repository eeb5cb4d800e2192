"""Tests that the background loops log an unreachable database as a warning and carry on."""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from services import db
from services.mail import run_delivery_loop
from services.retention import run_retention_loop


async def _run_until_logged(
    loop: Callable[[], Coroutine[Any, Any, None]], caplog: pytest.LogCaptureFixture, name: str
) -> None:
    task = asyncio.create_task(loop())
    try:
        for _ in range(100):
            if any(name in record.getMessage() for record in caplog.records):
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.mark.parametrize(
    ("loop", "message"),
    [
        (lambda: run_delivery_loop(poll_seconds=3600), "mail delivery round skipped: database unavailable"),
        (lambda: run_retention_loop(interval_seconds=3600), "retention run skipped: database unavailable"),
    ],
    ids=["mail", "retention"],
)
async def test_outage_logged_as_warning(
    sqlite_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, loop, message: str
):
    db.configure(f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}")
    caplog.set_level(logging.INFO)

    await _run_until_logged(loop, caplog, message)

    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert [record.getMessage() for record in warnings if message in record.getMessage()]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
