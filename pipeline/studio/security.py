"""What keeps the studio safe on a shared machine.

- :func:`inside` is the only way a name from a request becomes a path: relative, no
  ``..``, no hidden files, and still inside its folder once symlinks are followed.
- :class:`Csrf` checks every POST: the form's token must be this server's, and a browser
  that says the request came from another site is refused.
- :func:`read_form` reads a request body up to a limit before parsing it, so an upload
  over the limit costs no more than the limit.
- :class:`SecurityHeaders` sets a strict content security policy and friends on every
  response; the leaflet preview gets its own, with no scripts at all.
- :class:`HeadWithoutBody` answers a HEAD as its GET, headers only: a HEAD never goes
  near the checks a POST passes, and never changes anything.
"""

from __future__ import annotations

import hmac
import re
import secrets
from pathlib import Path, PurePosixPath

from starlette.datastructures import FormData, Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
"""Studio pages: their own scripts and styles only, nothing from anywhere else."""

LEAFLET_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox"
)
"""A leaflet's HTML (the preview): its inline styles, fonts and logo; never a script."""

_DRIVE = re.compile(r"^[A-Za-z]:")


class NotFound(Exception):
    """A name that is not an article the studio may open (the page says so, status 404)."""


class TooLarge(Exception):
    """A request body over the limit; ``size`` is as much of it as was counted."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(size, limit)
        self.size, self.limit = size, limit


class Forbidden(Exception):
    """A state-changing request without this server's token, or from another site."""


def inside(root: Path, name: str) -> Path:
    """``root / name``, when ``name`` is a plain relative path to a file inside ``root``.

    >>> import tempfile; root = Path(tempfile.mkdtemp())
    >>> (root / "a.txt").write_text("x") and inside(root, "a.txt") == root / "a.txt"
    True
    >>> inside(root, "../etc/passwd")
    Traceback (most recent call last):
    pipeline.studio.security.NotFound: ../etc/passwd
    """
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        raise NotFound(name)
    parts = PurePosixPath(name).parts
    if any(part in (".", "..") or part.startswith(".") for part in parts):
        raise NotFound(name)
    path = root.joinpath(*parts)
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise NotFound(name) from None
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        raise NotFound(name)
    return path


class Csrf:
    """One secret per running studio, put in every form and checked on every POST."""

    FIELD = "csrf_token"

    def __init__(self) -> None:
        self.token = secrets.token_urlsafe(32)

    def check(self, request: Request, form: FormData) -> None:
        """:class:`Forbidden` unless the form carries the token and no browser header
        says the request came from another site."""
        if _from_another_site(request.headers):
            raise Forbidden("cross-site request")
        origin = request.headers.get("origin")
        if origin and origin != _own_origin(request):
            raise Forbidden("cross-site request")
        sent = form.get(self.FIELD)
        if not isinstance(sent, str) or not hmac.compare_digest(sent, self.token):
            raise Forbidden("missing or wrong token")


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


async def read_form(request: Request, limit: int) -> FormData:
    """The request's form, read only if its body is at most ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(size, limit)
        chunks.append(chunk)
    body = b"".join(chunks)

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return await Request(request.scope, replay).form(max_files=2, max_part_size=limit)


class SecurityHeaders:
    """ASGI middleware: the security headers every response carries."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-leaflet"]
                leaflet = any(k == b"x-leaflet" for k, _ in message.get("headers", []))
                headers += _headers(leaflet)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers(leaflet: bool) -> list[tuple[bytes, bytes]]:
    """The policy for a studio page, or (``leaflet``) for a leaflet shown in the preview."""
    policy = LEAFLET_POLICY if leaflet else PAGE_POLICY
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-frame-options", b"SAMEORIGIN" if leaflet else b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),  # "no-referrer" would send Origin: null
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"cross-origin-resource-policy", b"same-origin"),
        (b"cache-control", b"no-store"),
    ]


class NoCrossSiteFetches:
    """ASGI middleware: a page another site's page reads in the background (an image, a
    script, a frame, a fetch: a GET or HEAD with ``Sec-Fetch-Site`` ``cross-site`` or
    ``same-site``, in any mode but ``navigate``) gets a 403 before any work is done, so
    a page elsewhere cannot keep the studio busy making leaflets no one asked for. A
    link followed from another site still opens (``navigate``), as does a request from a
    browser that sends no such header. A POST from elsewhere is refused by
    :class:`Csrf`, with the studio's page saying nothing was changed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reading = scope["type"] == "http" and scope["method"] in ("GET", "HEAD")
        if reading and _from_elsewhere(Headers(scope=scope)):
            response = PlainTextResponse(_FROM_ELSEWHERE, status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


_FROM_ELSEWHERE = "Forbidden: a page on another site asked for this. Open the studio itself."


def _from_elsewhere(headers: Headers) -> bool:
    """Whether the browser says another site's page asked for this, other than by
    following a link."""
    return _from_another_site(headers) and headers.get("sec-fetch-mode") != "navigate"


def _from_another_site(headers: Headers) -> bool:
    """Whether the browser says the request comes from another site's page (a request
    typed in, or from no page, is ``none``; a browser that says nothing is let through)."""
    return headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none")


class HeadWithoutBody:
    """ASGI middleware: the response to a HEAD keeps its GET's headers (its length too)
    and sends no body, whichever server runs the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_headers_only)
