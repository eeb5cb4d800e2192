"""Live updates: the one publish/subscribe seam between services and open pages.

Services publish a `VoucherEvent` after their transaction commits. The in-process bus
hands each event to every subscriber on that subscriber's own event loop. On PostgreSQL,
`services.pg_events.PostgresEventBus` carries events between processes; payloads hold
ids, never personal data.
"""

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger(__name__)

# Action of the event a bus publishes when it may have missed events, for example after
# losing its database connection; subscribers reload what they show.
RESYNC_ACTION = "events.resync"


@dataclass(frozen=True)
class VoucherEvent:
    """Vouchers that changed in one committed transaction."""

    action: str
    voucher_ids: tuple[int, ...]
    # Issuing organisations and redeeming libraries involved, so subscribers can skip events quickly.
    organisation_ids: tuple[int, ...]


Handler = Callable[[VoucherEvent], None]


class EventBus(Protocol):
    def publish(self, event: VoucherEvent) -> None: ...

    def subscribe(self, handler: Handler) -> Callable[[], None]: ...


class InProcessEventBus:
    """Delivers events to subscribers in this process, each on the loop it subscribed from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[int, tuple[asyncio.AbstractEventLoop | None, Handler]] = {}
        self._next_id = 0

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Register `handler`; returns the function that unsubscribes it."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self._lock:
            subscription_id = self._next_id
            self._next_id += 1
            self._subscribers[subscription_id] = (loop, handler)
        return lambda: self._unsubscribe(subscription_id)

    def _unsubscribe(self, subscription_id: int) -> None:
        with self._lock:
            self._subscribers.pop(subscription_id, None)

    def publish(self, event: VoucherEvent) -> None:
        """Hand `event` to every subscriber; safe to call from any thread."""
        with self._lock:
            subscribers = list(self._subscribers.items())
        for subscription_id, (loop, handler) in subscribers:
            if loop is None:
                self._deliver(subscription_id, handler, event)
            elif loop.is_closed():
                self._unsubscribe(subscription_id)
            else:
                loop.call_soon_threadsafe(self._deliver, subscription_id, handler, event)

    @staticmethod
    def _deliver(subscription_id: int, handler: Handler, event: VoucherEvent) -> None:
        try:
            handler(event)
        except Exception:
            # One broken page must not stop the others from updating.
            logger.exception("event handler failed subscription=%d action=%s", subscription_id, event.action)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)


_bus: EventBus = InProcessEventBus()


def get_bus() -> EventBus:
    """Return the process-wide event bus."""
    return _bus


def set_bus(bus: EventBus) -> None:
    """Replace the process-wide event bus, for another backend."""
    global _bus
    _bus = bus


def publish(event: VoucherEvent) -> None:
    """Publish `event` on the process-wide bus; call only after the change is committed."""
    try:
        _bus.publish(event)
    except Exception:
        # The change is already committed; a failed push must not turn it into an error.
        logger.exception("publishing failed action=%s vouchers=%s", event.action, event.voucher_ids)
