"""Current time in UTC and conversion to the programme's time zone (Europe/Amsterdam)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def local_today(now: datetime | None = None) -> date:
    """Return today's date in Europe/Amsterdam."""
    return (now or utc_now()).astimezone(LOCAL_ZONE).date()


def to_local(moment: datetime) -> datetime:
    """Convert an aware UTC datetime to Europe/Amsterdam."""
    return moment.astimezone(LOCAL_ZONE)
