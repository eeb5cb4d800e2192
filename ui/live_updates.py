"""Live updates for every open overview of this process, through one subscription to the event bus.

A redemption can reach dozens of open overviews at once. Each change is loaded from the
database once, for all pages that show it together (services.voucher_queries.vouchers_for_viewers),
and then handed to each page, instead of every page querying on its own.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol

from nicegui import Client, background_tasks, run, ui

from services.accounts import SessionUser, resolve_session
from services.events import RESYNC_ACTION, EventBus, VoucherEvent, get_bus
from services.metrics import LIVE_UPDATE_SECONDS
from services.voucher_queries import vouchers_for_viewers
from services.voucher_views import VoucherView
from ui.session import SESSION_COOKIE

logger = logging.getLogger(__name__)


class LivePage(Protocol):
    """An open page that follows voucher changes."""

    user: SessionUser
    client: Client

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
        for watch_id, page in list(self._pages.items()):
            if page.client.id not in Client.instances:
                # The page's client was deleted without calling its unwatch function.
                self._pages.pop(watch_id, None)
        pages = [page for page in list(self._pages.values()) if page.wants(event)]
        if pages:
            background_tasks.create(self._dispatch(event, pages), name="live update")

    async def _dispatch(self, event: VoucherEvent, pages: Sequence[LivePage]) -> None:
        started = time.perf_counter()
        await self._update_pages(event, pages)
        LIVE_UPDATE_SECONDS.observe(time.perf_counter() - started)

    async def _update_pages(self, event: VoucherEvent, pages: Sequence[LivePage]) -> None:
        if event.action in ("voucher.issued", RESYNC_ACTION):
            # New vouchers change totals and paging, and after a resync events may have been
            # missed, so each page reloads its current page.
            for page in pages:
                await _run_for_page(page, page.reload())
            return
        tokens = {id(page): page.client.request.cookies.get(SESSION_COOKIE) for page in pages}
        loaded = await run.io_bound(_load_change, list(event.voucher_ids), set(tokens.values()))
        if loaded is None:  # the server is shutting down
            return
        users, views = loaded
        for page in pages:
            user = users.get(tokens[id(page)])
            if user is None or user.id != page.user.id:
                # The session ended (logout, time-out, deactivation): the page shows nothing more.
                with page.client:
                    ui.navigate.to("/login")
                continue
            await _run_for_page(page, page.apply_views(views.get(user.id, [])))


async def _run_for_page(page: LivePage, update: Coroutine[Any, Any, None]) -> None:
    """Run one page's update; a page that fails must not keep the others from updating."""
    try:
        await update
    except Exception:
        logger.exception("live update failed client=%s user=%d", page.client.id, page.user.id)


def _load_change(
    voucher_ids: list[int], tokens: set[str | None]
) -> tuple[dict[str | None, SessionUser | None], dict[int, list[VoucherView]]]:
    """Check each open page's session, then load the changed vouchers for the live ones."""
    users = {token: resolve_session(token, touch=False) for token in tokens}
    actor_ids = sorted({user.id for user in users.values() if user is not None})
    return users, vouchers_for_viewers(voucher_ids=voucher_ids, actor_ids=actor_ids)


live_pages = LivePages()
