"""A clock that returns a fixed time until a test advances it."""

from datetime import UTC, datetime, timedelta

import pytest

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FrozenClock:
    """Replacement for services.clock.utc_now that returns `now` until `advance` moves it."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def freeze_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Freeze services.clock.utc_now for the modules that call it as `clock.utc_now()`."""
    frozen = FrozenClock()
    monkeypatch.setattr("services.clock.utc_now", frozen)
    return frozen
