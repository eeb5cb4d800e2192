"""Limits on password guessing, kept in the database so every app process uses the same counts.

Two counters apply to each failed password:

- per e-mail address: after `ADDRESS_FAILURE_LIMIT` failures within `ADDRESS_FAILURE_WINDOW`,
  logging in with that address is refused for `ADDRESS_LOCK`. Unknown addresses are counted and
  locked the same way, so the lock does not reveal which addresses have an account.
- per client IP address: after `CLIENT_FAILURE_LIMIT` failures within `CLIENT_WINDOW`, that client
  is refused for `CLIENT_LOCK`, whichever addresses it tries. This slows guessing one common
  password across many accounts.
"""

import hashlib
import logging
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models import LoginThrottle
from services.errors import AccountLocked, ClientThrottled

logger = logging.getLogger(__name__)

ADDRESS_FAILURE_LIMIT = 10
ADDRESS_FAILURE_WINDOW = timedelta(hours=24)
ADDRESS_LOCK = timedelta(minutes=15)
# A library desk network may put many staff behind one IP address, so this limit is higher.
CLIENT_FAILURE_LIMIT = 30
CLIENT_WINDOW = timedelta(minutes=15)
CLIENT_LOCK = timedelta(minutes=15)


class ThrottleScope(StrEnum):
    """Kind of key a throttle counter counts failures for."""

    ADDRESS = "address"
    CLIENT = "client"


def _key_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _counter(session: Session, scope: ThrottleScope, key: str, now: datetime) -> LoginThrottle:
    """Return the counter row for `key`, created if missing and locked for this transaction."""
    values = {"scope": scope.value, "key_hash": _key_hash(key), "failures": 0, "window_started_at": now}
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # ON CONFLICT DO NOTHING lets two processes create the same counter at once without an error.
    session.execute(insert(LoginThrottle).values(**values).on_conflict_do_nothing())
    statement = (
        select(LoginThrottle)
        .where(LoginThrottle.scope == scope.value, LoginThrottle.key_hash == values["key_hash"])
        .with_for_update()
    )
    return session.exec(statement).one()


def check_not_locked(session: Session, *, address: str, client: str | None, now: datetime) -> None:
    """Raise ClientThrottled or AccountLocked while the client or the e-mail address is locked."""
    keys = [(ThrottleScope.CLIENT, client), (ThrottleScope.ADDRESS, address)]
    for scope, key in keys:
        if key is None:
            continue
        statement = select(LoginThrottle.locked_until).where(
            LoginThrottle.scope == scope.value,
            LoginThrottle.key_hash == _key_hash(key),
            col(LoginThrottle.locked_until) > now,
        )
        locked_until = session.exec(statement).first()
        if locked_until is None:
            continue
        if scope == ThrottleScope.CLIENT:
            raise ClientThrottled(locked_until=locked_until)
        raise AccountLocked(locked_until=locked_until)


def record_failure(session: Session, *, address: str, client: str | None, now: datetime) -> datetime | None:
    """Count a failed password; returns the end of the address lock when this failure started one."""
    if client is not None:
        client_counter = _counter(session, ThrottleScope.CLIENT, client, now)
        if _count(client_counter, now, CLIENT_FAILURE_LIMIT, CLIENT_WINDOW, CLIENT_LOCK):
            logger.warning("client locked after %d failed passwords until=%s", CLIENT_FAILURE_LIMIT, now + CLIENT_LOCK)
        session.add(client_counter)
    address_counter = _counter(session, ThrottleScope.ADDRESS, address, now)
    locked = _count(address_counter, now, ADDRESS_FAILURE_LIMIT, ADDRESS_FAILURE_WINDOW, ADDRESS_LOCK)
    session.add(address_counter)
    return address_counter.locked_until if locked else None


def _count(counter: LoginThrottle, now: datetime, limit: int, window: timedelta, lock: timedelta) -> bool:
    """Add one failure to `counter`; returns whether it reached `limit` and started a lock.

    A new window starts when the old one or a lock has passed.
    """
    lock_passed = counter.locked_until is not None and counter.locked_until <= now
    if lock_passed or now - counter.window_started_at >= window:
        counter.failures = 0
        counter.window_started_at = now
        counter.locked_until = None
    counter.failures += 1
    if counter.failures < limit:
        return False
    counter.failures = 0
    counter.window_started_at = now
    counter.locked_until = now + lock
    return True


def clear_address_failures(session: Session, *, address: str) -> None:
    """Forget the failed passwords of an address after its password was typed correctly."""
    statement = select(LoginThrottle).where(
        LoginThrottle.scope == ThrottleScope.ADDRESS.value,
        LoginThrottle.key_hash == _key_hash(address),
    )
    counter = session.exec(statement).first()
    if counter is not None and counter.failures:
        counter.failures = 0
        session.add(counter)
