"""Current time in UTC and conversion to the programme's time zone (Europe/Amsterdam).

Every service reads the time through `utc_now` or `local_today`, so `fixed_clock` can stop
the clock for tests and for checks of date rules.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")

# Set by `fixed_clock`. It applies to every thread of the process.
_fixed_now: datetime | None = None


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    if _fixed_now is not None:
        return _fixed_now
    return datetime.now(UTC)


def local_today(now: datetime | None = None) -> date:
    """Return today's date in Europe/Amsterdam."""
    return (now or utc_now()).astimezone(LOCAL_ZONE).date()


def to_local(moment: datetime) -> datetime:
    """Convert an aware UTC datetime to Europe/Amsterdam."""
    return moment.astimezone(LOCAL_ZONE)


@contextmanager
def fixed_clock(moment: datetime) -> Iterator[None]:
    """Make `utc_now` return `moment` (an aware datetime) inside the block."""
    global _fixed_now
    if moment.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    previous = _fixed_now
    _fixed_now = moment.astimezone(UTC)
    try:
        yield
    finally:
        _fixed_now = previous
