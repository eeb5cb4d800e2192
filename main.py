"""Start biebvoucher: settings, logging, database, demo data, pages, server."""

import logging

from nicegui import app, background_tasks, ui

from services import db, mail
from services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_if_empty
from services.logging_setup import configure_logging
from services.settings import get_settings
from ui.pages import register_pages

logger = logging.getLogger("biebvoucher")


def prepare() -> None:
    """Configure logging and the database, migrate, and load demo data in demo mode."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    db.migrate(url)
    db.configure(url)
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
    """Start the tasks that run beside the pages: mail delivery."""
    background_tasks.create(mail.run_delivery_loop(), name="mail-delivery")


def main() -> None:
    prepare()
    settings = get_settings()
    register_pages()
    app.on_startup(start_background_work)
    app.on_shutdown(lambda: logger.info("biebvoucher stopping"))
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
        session_middleware_kwargs={
            "session_cookie": "biebvoucher_browser",
            "same_site": "lax",
            "https_only": not settings.demo,
        },
    )


if __name__ in {"__main__", "__mp_main__"}:
    main()
