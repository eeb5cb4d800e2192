"""Start biebvoucher: settings, logging, database, demo data, pages, server."""

import logging

from nicegui import app, background_tasks, ui

from services import db, events, mail, retention
from services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_if_empty
from services.logging_setup import configure_logging
from services.pg_events import PostgresEventBus, bus_for_database
from services.settings import get_settings
from ui.pages import register_pages
from ui.security_headers import SecurityHeadersMiddleware

logger = logging.getLogger("biebvoucher")


def prepare() -> None:
    """Configure logging and the database, migrate, and load demo data in demo mode."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.data_dir, settings.log_format)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    db.migrate(url)
    db.configure(url)
    events.set_bus(bus_for_database(url))
    if settings.demo:
        seed_demo_if_empty()
        print_demo_logins(settings.host, settings.port)


def print_demo_logins(host: str, port: int) -> None:
    """Print where the demo runs and its accounts, so a newcomer can log in at once."""
    lines = [f"biebvoucher demo on http://{host}:{port}", f"password for every demo account: {DEMO_PASSWORD}"]
    lines += [f"  {email:<26} {role.value}" for email, role in DEMO_ACCOUNTS]
    settings = get_settings()
    if not settings.smtp_host:
        lines.append(f"login codes: the newest *-login_code.eml file in {settings.data_dir / 'outbox'}")
    print("\n".join(lines), flush=True)


def start_background_work() -> None:
    """Start the work beside the pages: mail delivery, daily retention and, on PostgreSQL, the event listener."""
    background_tasks.create(mail.run_delivery_loop(), name="mail-delivery")
    background_tasks.create(retention.run_retention_loop(), name="retention")
    bus = events.get_bus()
    if isinstance(bus, PostgresEventBus):
        bus.start()


def stop_background_work() -> None:
    """Stop the event listener thread, if one runs; NiceGUI cancels the background tasks itself."""
    bus = events.get_bus()
    if isinstance(bus, PostgresEventBus):
        bus.stop()
    logger.info("biebvoucher stopping")


def main() -> None:
    prepare()
    settings = get_settings()
    register_pages()
    # HSTS only outside the demo, because the demo is served over plain HTTP.
    app.add_middleware(SecurityHeadersMiddleware, hsts=not settings.demo)
    app.on_startup(start_background_work)
    app.on_shutdown(stop_background_work)
    logger.info("biebvoucher starting host=%s port=%d demo=%s", settings.host, settings.port, settings.demo)
    ui.run(
        host=settings.host,
        port=settings.port,
        title="biebvoucher",
        language="nl",
        storage_secret=settings.storage_secret.get_secret_value(),
        reload=False,
        show=False,
        favicon="🎟️",
        reconnect_timeout=30,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        session_middleware_kwargs={
            "session_cookie": "biebvoucher_browser",
            "same_site": "lax",
            "https_only": not settings.demo,
        },
    )


if __name__ in {"__main__", "__mp_main__"}:
    main()
