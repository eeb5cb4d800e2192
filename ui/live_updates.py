"""Live updates for every open overview of this process, through one subscription to the event bus.

A redemption can reach dozens of open overviews at once. Each change is loaded from the
database once, for all pages that show it together (services.voucher_queries.vouchers_for_viewers),
and then handed to each page, instead of every page querying on its own.
"""

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from nicegui import background_tasks, run

from services.accounts import SessionUser
from services.events import RESYNC_ACTION, EventBus, VoucherEvent, get_bus
from services.voucher_queries import vouchers_for_viewers
from services.voucher_views import VoucherView

logger = logging.getLogger(__name__)


class LivePage(Protocol):
    """An open page that follows voucher changes."""

    user: SessionUser

    def wants(self, event: VoucherEvent) -> bool: ...

    async def reload(self) -> None: ...

    async def apply_views(self, views: list[VoucherView]) -> None: ...


class LivePages:
    """The open pages of this process and the one bus subscription that feeds them."""

    def __init__(self) -> None:
        self._pages: dict[int, LivePage] = {}
        self._next_id = 0
        self._subscription: tuple[EventBus, asyncio.AbstractEventLoop] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def watch(self, page: LivePage) -> Callable[[], None]:
        """Start passing changes to `page`; returns the function that stops it. Call on the event loop."""
        subscription = (get_bus(), asyncio.get_running_loop())
        if subscription != self._subscription:
            # The first page, a replaced bus (the PostgreSQL bus at start-up) or a new event loop (tests).
            if self._unsubscribe is not None:
                self._unsubscribe()
            self._unsubscribe = subscription[0].subscribe(self._on_event)
            self._subscription = subscription
            logger.info("live updates subscribed to %s", type(subscription[0]).__name__)
        watch_id = self._next_id
        self._next_id += 1
        self._pages[watch_id] = page
        return lambda: self._pages.pop(watch_id, None)

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def _on_event(self, event: VoucherEvent) -> None:
        pages = [page for page in list(self._pages.values()) if page.wants(event)]
        if pages:
            background_tasks.create(self._dispatch(event, pages), name="live update")

    async def _dispatch(self, event: VoucherEvent, pages: Sequence[LivePage]) -> None:
        if event.action in ("voucher.issued", RESYNC_ACTION):
            # New vouchers change totals and paging, and after a resync events may have been
            # missed, so each page reloads its current page.
            for page in pages:
                await page.reload()
            return
        views = await run.io_bound(
            vouchers_for_viewers,
            voucher_ids=list(event.voucher_ids),
            actor_ids=sorted({page.user.id for page in pages}),
        )
        if views is None:
            return
        for page in pages:
            await page.apply_views(views.get(page.user.id, []))


live_pages = LivePages()
