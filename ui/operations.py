"""Routes and middleware for operators: /healthz, /metrics, request ids and request timing."""

import hmac
import ipaddress
import logging
import re
import time
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from nicegui import Client, app
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.health import check_health
from services.logging_setup import bind_user, request_id, user_id
from services.metrics import OPEN_CLIENTS, REQUEST_SECONDS, render_metrics
from services.settings import get_settings

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "x-request-id"
# A request id from the proxy is kept only when it looks like one, so a client cannot put text into the log.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestContextMiddleware:
    """Gives each HTTP request a request id for the log and times it for the latency histogram.

    A plain ASGI middleware, so NiceGUI's websocket traffic passes through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        current_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex[:16]
        request_token = request_id.set(current_id)
        user_token = bind_user(None)
        status = 500
        started = time.perf_counter()

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((REQUEST_ID_HEADER.encode(), current_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            REQUEST_SECONDS.labels(method=scope["method"], route=_route_label(scope), status=str(status)).observe(
                time.perf_counter() - started
            )
            request_id.reset(request_token)
            user_id.reset(user_token)


def _route_label(scope: Scope) -> str:
    # The route's path template ("/vouchers/{voucher_id}"), never the path itself, so the
    # histogram has one series per route and no voucher ids in its labels.
    route: Any = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _has_metrics_token(request: Request) -> bool:
    token = get_settings().metrics_token.get_secret_value()
    if not token:
        return False
    presented = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(presented.encode(), token.encode())


def register_operations_routes() -> None:
    """Add /healthz, /metrics, the request middleware and the open-clients gauge."""
    app.add_middleware(RequestContextMiddleware)
    OPEN_CLIENTS.set_function(lambda: len(Client.instances))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        # A plain def, so FastAPI runs the database query in its thread pool, off the event loop.
        report = check_health()
        return JSONResponse(report.as_json(), status_code=200 if report.healthy else 503)

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        # Loopback clients (a scraper on the same host) need no token. Behind a proxy on the same
        # host, uvicorn replaces the proxy's address with the forwarded client address (it trusts
        # X-Forwarded-For from 127.0.0.1 and ::1 by default), so outside clients still need the token.
        if not (_is_loopback(request) or _has_metrics_token(request)):
            logger.info("metrics request rejected client=%s", request.client.host if request.client else "-")
            return Response("Metrics need a bearer token (BIEBVOUCHER_METRICS_TOKEN).\n", status_code=403)
        body, content_type = render_metrics()
        return Response(body, media_type=content_type)
