"""Log records carry the request and user ids, in the text and the JSON format."""

import json
import logging
import sys

import pytest

from models import Voucher
from services.db import read_session
from services.logging_setup import JsonFormatter, LogContextFilter, bind_user, make_formatter, request_id, user_id
from services.redemption import check_code
from services.vouchers import issue_vouchers


@pytest.fixture(autouse=True)
def unbound_ids():
    """Start each test without ids: service calls in earlier tests leave their actor bound in this thread."""
    request_token = request_id.set(None)
    user_token = user_id.set(None)
    yield
    request_id.reset(request_token)
    user_id.reset(user_token)


def _record(message: str = "voucher redeemed voucher=%d", *args: object) -> logging.LogRecord:
    record = logging.LogRecord("services.redemption", logging.INFO, __file__, 1, message, args or (7,), None)
    LogContextFilter().filter(record)
    return record


def test_unset_ids_shown_as_dash():
    record = _record()

    assert record.request_id == "-"
    assert record.user_id == "-"


def test_text_format_shows_ids():
    request_token = request_id.set("abc123")
    user_token = bind_user(42)
    try:
        line = make_formatter("text").format(_record())
    finally:
        request_id.reset(request_token)
        user_id.reset(user_token)

    assert "[request=abc123 user=42]" in line
    assert line.endswith("voucher redeemed voucher=7")


def test_json_format_is_one_object_per_line():
    request_token = request_id.set("abc123")
    try:
        record = _record()
    finally:
        request_id.reset(request_token)

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "voucher redeemed voucher=7"
    assert entry["request_id"] == "abc123"
    assert entry["user_id"] == "-"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "services.redemption"
    assert entry["time"].endswith("+00:00")


def test_json_format_includes_exception():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    LogContextFilter().filter(record)

    entry = json.loads(JsonFormatter().format(record))

    assert "RuntimeError: boom" in entry["exception"]
    assert "\n" not in JsonFormatter().format(record)


def test_service_call_binds_actor(intermediary, desk_staff):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)
    with read_session() as session:
        code = session.get(Voucher, voucher_id).code

    token = bind_user(None)
    try:
        check_code(actor_id=desk_staff.id, raw_code=code)
        bound = user_id.get()
    finally:
        user_id.reset(token)

    assert bound == desk_staff.id
