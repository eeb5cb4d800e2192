"""The services' clock stopped at a fixed time until a test advances it."""

from datetime import UTC, datetime, timedelta

import pytest

from services import clock

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FrozenClock:
    """The time `services.clock.utc_now` returns in a test, for every module and thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: datetime) -> None:
        self._monkeypatch = monkeypatch
        self.now = start

    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, moment: datetime) -> None:
        self._now = moment
        self._monkeypatch.setattr(clock, "_fixed_now", moment)

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by `delta` (keyword arguments of timedelta); returns the new time."""
        self.now += timedelta(**delta)
        return self.now


def freeze_clock(monkeypatch: pytest.MonkeyPatch, start: datetime = START) -> FrozenClock:
    """Stop the services' clock at `start` for this test; monkeypatch restores it afterwards."""
    return FrozenClock(monkeypatch, start)
