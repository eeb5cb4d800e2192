"""Security headers on every HTTP response, as pure ASGI middleware; docs/security.md gives the reasons.

A header that a route has already set is kept, so a page can choose a stricter value, for
example `Referrer-Policy: no-referrer` on pages whose address contains a token.
"""

from collections.abc import Iterable

from nicegui import __version__ as nicegui_version
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# NiceGUI and Vue compile the page's component templates in the browser and start the page from
# inline scripts, so script-src needs 'unsafe-inline' and 'unsafe-eval'. Quasar and Tailwind set
# inline styles. connect-src 'self' covers Socket.IO and the desk camera's QR reader fetching its
# .wasm. 'wasm-unsafe-eval' lets that reader compile WebAssembly. 'unsafe-eval' allows that too,
# but the explicit source keeps the camera working if 'unsafe-eval' is ever dropped.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The camera stays available to our own pages for scanning voucher QR codes.
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"

# Files that are the same for everyone. NiceGUI gives them its own Cache-Control (public, one
# hour); every other response may contain personal data and gets "no-store".
STATIC_PREFIXES = (f"/_nicegui/{nicegui_version}/",)
NOT_STATIC_PREFIXES = (f"/_nicegui/{nicegui_version}/dynamic_resources/",)
STATIC_PATHS = ("/favicon.ico",)


def is_static_path(path: str) -> bool:
    """Return whether `path` serves a file that is the same for every user, so it may be cached."""
    if path in STATIC_PATHS:
        return True
    return path.startswith(STATIC_PREFIXES) and not path.startswith(NOT_STATIC_PREFIXES)


def security_headers(path: str, *, hsts: bool) -> list[tuple[str, str]]:
    """Return the security headers for a response to `path`; HSTS only when served over HTTPS."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    ]
    if hsts:
        headers.append(("Strict-Transport-Security", HSTS))
    if not is_static_path(path):
        headers.append(("Cache-Control", "no-store"))
    return headers


def add_missing_headers(headers: MutableHeaders, additions: Iterable[tuple[str, str]]) -> None:
    """Add each header that `headers` does not contain yet."""
    for name, value in additions:
        if name not in headers:
            headers[name] = value


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response that passes through; websockets pass unchanged."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        additions = security_headers(scope["path"], hsts=self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_missing_headers(MutableHeaders(scope=message), additions)
            await send(message)

        await self.app(scope, receive, send_with_headers)
