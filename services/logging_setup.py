"""Logging configuration, applied once at start, and the request and user ids on every record.

`request_id` and `user_id` are context variables. The HTTP middleware in ui/operations.py
sets the request id for each request, and `bind_user` sets the user id when a page resolves
its session or a service loads its actor. `LogContextFilter` copies both onto each record,
as "-" when unset, for the text and the JSON format alike.
"""

import json
import logging
import logging.handlers
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [request=%(request_id)s user=%(user_id)s]: %(message)s"
LogFormat = Literal["text", "json"]

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id: ContextVar[int | None] = ContextVar("user_id", default=None)
_configured = False


def bind_user(user: int | None) -> Token[int | None]:
    """Set the user id that log records of the current context carry, and return the token to reset it."""
    return user_id.set(user)


class LogContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` from the current context to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        current_request = request_id.get()
        current_user = user_id.get()
        record.request_id = current_request if current_request is not None else "-"
        record.user_id = current_user if current_user is not None else "-"
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def make_formatter(log_format: LogFormat) -> logging.Formatter:
    """Return the formatter for `log_format`."""
    return JsonFormatter() if log_format == "json" else logging.Formatter(LOG_FORMAT)


def configure_logging(level: str, data_dir: Path, log_format: LogFormat = "text") -> None:
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
        handler.setFormatter(make_formatter(log_format))
        # On the handlers, not the root logger: records of child loggers skip the root's filters.
        handler.addFilter(LogContextFilter())
    root = logging.getLogger()
    root.setLevel(level.upper())
    root.addHandler(file_handler)
    root.addHandler(console_handler)
    _configured = True
