"""Logging configuration, applied once at start."""

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured = False


def configure_logging(level: str, data_dir: Path) -> None:
    """Log to the console and to `data_dir/logs/biebvoucher.log`; later calls change nothing."""
    global _configured
    if _configured:
        return
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(
        log_dir / "biebvoucher.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    console_handler = logging.StreamHandler()
    for handler in (file_handler, console_handler):
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.setLevel(level.upper())
    root.addHandler(file_handler)
    root.addHandler(console_handler)
    _configured = True
