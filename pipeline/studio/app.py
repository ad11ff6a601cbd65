"""The studio's web app: thin views over the library, on Starlette.

=====================================  ======================================================
``GET /``, ``POST /``                  new leaflet: paste or upload, pick paper and print
``GET /review/{place}/{name}``         the review beside the leaflet preview
``POST /review/{place}/{name}``        reject a change (``reject``), restore it (``restore``),
                                       forget rejections that no longer fit (``forget``), or
                                       remove a pasted article from the studio (``remove``)
``GET /leaflet/{place}/{name}``        the leaflet (``format=html`` or ``pdf``) or the
                                       cleaned text (``txt``); ``download=1`` to save it
``GET /folder``                        every article in the folder, sortable and filterable
``GET /settings``, ``POST /settings``  the clinic's details in ``leaflet.toml``
=====================================  ======================================================

``place`` is ``folder`` (the folder the studio was started on) or ``pasted``. Every
GET is answered to HEAD too, without its body (for link checkers and uptime monitors);
only a POST changes anything, and every POST carries the CSRF token; any other method
is a 405 with an ``Allow`` header. Every page works as plain HTML forms, and
``static/studio.js`` only makes reviewing quicker (no reload per decision).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from pipeline.config import PAPERS, LeafletConfig
from pipeline.errors import LeafletError, NoPdfError
from pipeline.normalise import STAGES
from pipeline.read import KINDS
from pipeline.review import sidecar_key
from pipeline.studio import articles, folder, kept, settings
from pipeline.studio.articles import PLACES, Prepared, Studio
from pipeline.studio.folder import STATUSES
from pipeline.studio.marking import marked_lines
from pipeline.studio.review_page import environment, stage_counts
from pipeline.studio.security import (
    Csrf,
    Forbidden,
    HeadWithoutBody,
    NoCrossSiteFetches,
    NotFound,
    SecurityHeaders,
    TooLarge,
    read_form,
)
from pipeline.studio.settings import Current

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")  # as a Host header names them
SMALL_FORM = 100_000  # bytes: every form but the new-leaflet one
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}


def create_app(studio: Studio, *, hosts: Sequence[str] = LOCAL_HOSTS) -> Starlette:
    """The studio for ``studio``'s folders, answering only requests addressed to ``hosts``
    (a page on another site that resolves its name to this machine gets nothing)."""
    views = _Views(studio, Csrf(), _templates())
    routes = [
        _route("/", views.home, views.make),
        _route("/review/{where}/{name:path}", views.review, views.decide),
        _route("/leaflet/{where}/{name:path}", views.leaflet),
        _route("/folder", views.folder),
        _route("/settings", views.settings, views.save_settings),
        Mount("/static", StaticFiles(packages=[("pipeline.studio", "static")]), name="static"),
    ]
    middleware = [  # the first is the outermost: every answer, a refusal too, has the headers
        Middleware(SecurityHeaders),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
        Middleware(NoCrossSiteFetches),
        Middleware(HeadWithoutBody),
    ]
    handlers: dict[Any, Any] = {
        NotFound: views.not_found,
        Forbidden: views.forbidden,
        LeafletError: views.cannot,
        HTTPException: views.http_error,
    }
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)


View = Callable[[Request], Awaitable[Response]]


def _route(path: str, get: View, post: View | None = None) -> Route:
    """``get`` answers GET and HEAD, ``post`` (if any) POST; any other method is a 405
    (Starlette's, with an ``Allow`` header naming these)."""

    async def endpoint(request: Request) -> Response:
        return await (post if post is not None and request.method == "POST" else get)(request)

    return Route(path, endpoint, methods=["GET", "POST"] if post else ["GET"])


def _templates() -> Jinja2Templates:
    env = environment().overlay()
    env.globals.update(
        papers=PAPERS, quote=quote, statuses=STATUSES, stages=list(STAGES),
        keep_fitting=articles.KEEP_FITTING,
    )  # fmt: skip
    return Jinja2Templates(env=env)


class _Views:
    """The pages; each reads the request, calls the library, and renders a template."""

    def __init__(self, studio: Studio, csrf: Csrf, templates: Jinja2Templates) -> None:
        self.studio, self.csrf, self.templates = studio, csrf, templates

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context.update(csrf_token=self.csrf.token, has_folder=self.studio.folder is not None)
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    async def form(self, request: Request, limit: int = SMALL_FORM) -> Any:
        form = await read_form(request, limit)
        self.csrf.check(request, form)
        return form

    # ------------------------------------------------------------ new leaflet

    async def home(self, request: Request) -> Response:
        removed = request.query_params.get("removed") == "1"
        return self.page(request, "new.html.j2", **self._home(removed=removed))

    async def make(self, request: Request) -> Response:
        try:
            form = await self.form(request, self.studio.max_upload + SMALL_FORM)
            name = await run_in_threadpool(_keep, self.studio, form)
        except TooLarge as error:  # the form's limit is a little above the article's
            message = _too_large(TooLarge(error.size, self.studio.max_upload))
            return self.page(request, "new.html.j2", 413, **self._home(errors={"file": message}))
        except _FormError as error:
            return self.page(request, "new.html.j2", 400, **self._home(errors=error.errors))
        query = _print_query(form.get("paper"), form.get("large_print"))
        return RedirectResponse(f"/review/pasted/{quote(name)}?{query}", status_code=303)

    def _home(
        self, errors: dict[str, str] | None = None, *, removed: bool = False
    ) -> dict[str, Any]:
        return {
            "errors": errors or {},
            "removed": removed,
            "accept": ",".join(KINDS),
            "kinds": kept.kinds_text(),
            "max_mb": _megabytes(self.studio.max_upload),
            "kept": kept.recent(self.studio),
            "paper": _safe_config(self.studio).paper,
        }

    # ------------------------------------------------------------ review

    async def review(self, request: Request) -> Response:
        where, name = _place(request)
        prepared = await run_in_threadpool(kept.prepare, self.studio, where, name)
        return self.page(request, "review.html.j2", **self._review(request, prepared))

    async def decide(self, request: Request) -> Response:
        where, name = _place(request)
        form = await self.form(request)
        if form.get("action") == "remove":  # before reading it: it may no longer read
            if where != "pasted":
                raise NotFound(name)  # the folder's articles are the user's own
            await run_in_threadpool(kept.remove, self.studio, name)
            return RedirectResponse("/?removed=1", 303)
        prepared = await run_in_threadpool(kept.prepare, self.studio, where, name)
        anchor = ""
        if form.get("action") == "forget":
            await run_in_threadpool(articles.forget_stale, prepared)
        else:
            token, reject = _decision(form)
            line = await run_in_threadpool(articles.decide, prepared, token, reject=reject)
            anchor = f"#p-{line}"  # back to where the reader was, without the script
        # The name as sent, quoted again: the decoded path would name another file.
        address = f"/review/{where}/{quote(name)}?{request.url.query}{anchor}"
        return RedirectResponse(address, 303)

    def _review(self, request: Request, prepared: Prepared) -> dict[str, Any]:
        shown = request.query_params.getlist("show")
        stages = set(shown) if shown else None
        query = _print_query(request.query_params.get("paper"), request.query_params.get("lp"))
        paper = _print_choices(request.query_params)[0] or _safe_config(self.studio).paper
        return {
            "prepared": prepared,
            "named": kept.shown(prepared),
            "doc": prepared.document,
            "lines": marked_lines(prepared.reviewed, stages=stages),
            "counts": stage_counts(prepared.reviewed),
            "shown": stages,
            "paper": paper,
            "large_print": request.query_params.get("lp") == "1",
            "leaflet_url": f"/leaflet/{prepared.where}/{quote(prepared.name)}?{query}",
            "version": sidecar_key(prepared.path)[:12],  # a new address when decisions change
        }

    async def leaflet(self, request: Request) -> Response:
        where, name = _place(request)
        fmt = request.query_params.get("format", "html")
        if fmt not in MEDIA_TYPES:
            raise NotFound(fmt)
        prepared = await run_in_threadpool(kept.prepare, self.studio, where, name)
        config = self.studio.config(*_print_choices(request.query_params))
        data = await run_in_threadpool(kept.render, prepared, config, fmt)
        headers = {"x-leaflet": "1"} if fmt == "html" else {}
        if request.query_params.get("download") == "1":
            headers["content-disposition"] = attachment(kept.shown(prepared).download, fmt)
        return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)

    # ------------------------------------------------------------ folder and settings

    async def folder(self, request: Request) -> Response:
        if self.studio.folder is None:
            raise NotFound("folder")
        found = await run_in_threadpool(folder.listing, self.studio)
        view = folder.View.from_query(request.query_params)
        return self.page(
            request, "folder.html.j2", view=view, rows=view.apply(found.rows),
            total=len(found.rows), unread=found.unread, notes=found.notes,
        )  # fmt: skip

    async def settings(self, request: Request) -> Response:
        path = self.studio.config_path
        current = await run_in_threadpool(settings.read_settings, path)
        errors = await run_in_threadpool(current.errors, path.absolute().parent)
        saved = request.query_params.get("saved") == "1"
        return self._settings(request, current, current.texts(), errors, saved=saved)

    async def save_settings(self, request: Request) -> Response:
        path = self.studio.config_path
        form = await self.form(request)
        errors = await run_in_threadpool(settings.save, path, form)
        if not errors:
            return RedirectResponse("/settings?saved=1", status_code=303)
        current = await run_in_threadpool(settings.read_settings, path)
        texts = settings.submitted(form)
        return self._settings(request, current, texts, errors, status=400, posted=True)

    def _settings(
        self, request: Request, current: Current, texts: dict[str, str],
        errors: dict[str, str], *, status: int = 200, posted: bool = False, saved: bool = False,
    ) -> Response:  # fmt: skip
        return self.page(
            request, "settings.html.j2", status, current=current, values=texts, errors=errors,
            posted=posted, saved=saved, groups=settings.groups(), path=self.studio.config_path,
        )  # fmt: skip

    # ------------------------------------------------------------ errors

    async def not_found(self, request: Request, error: Exception) -> Response:
        title, message = _HTTP_ERRORS[404]
        return self.page(request, "error.html.j2", 404, title=title, message=message)

    async def forbidden(self, request: Request, error: Exception) -> Response:
        message = (
            "This request did not come from a studio page, so nothing was changed. "
            "Reload the page and try again."
        )
        return self.page(request, "error.html.j2", 403, title="Refused", message=message)

    async def cannot(self, request: Request, error: Exception) -> Response:
        title = "This cannot be done"
        message = error.plain if isinstance(error, NoPdfError) else str(error)
        return self.page(request, "error.html.j2", 422, title=title, message=message)

    async def http_error(self, request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        title, message = _HTTP_ERRORS.get(status, _HTTP_ERRORS[500])
        response = self.page(request, "error.html.j2", status, title=title, message=message)
        allow = (getattr(error, "headers", None) or {}).get("Allow")
        if allow:  # in one order, whatever order Starlette's set of methods gives
            methods = {m.strip() for m in allow.split(",")}
            response.headers["allow"] = ", ".join(sorted(methods))
        return response


_HTTP_ERRORS = {
    400: ("Not understood", "The form sent could not be read. Reload the page and try again."),
    404: ("Not found", "There is no such page or article here."),
    405: ("Not allowed", "This page does not take that kind of request."),
    500: ("Something went wrong", "Something went wrong."),
}


class _FormError(Exception):
    """The new-leaflet form as sent cannot make an article; messages by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _keep(studio: Studio, form: Any) -> str:
    """Keep the pasted text or the uploaded file; the name it is kept under."""
    text = str(form.get("text", ""))
    upload = form.get("file")
    has_file = upload is not None and not isinstance(upload, str) and bool(upload.filename)
    if has_file and text.strip():
        raise _FormError({"text": "Paste the text or choose a file, not both."})
    if not has_file and not text.strip():
        raise _FormError({"text": "Paste the article’s text here, or choose a file below."})
    try:
        if has_file:
            return kept.keep_upload(studio, upload.file.read(), upload.filename)
        return kept.keep_pasted(studio, text)
    except LeafletError as error:
        raise _FormError({"file" if has_file else "text": str(error)}) from None


def _decision(form: Any) -> tuple[str, bool]:
    """The change a review form's button names, and whether to reject it or restore it."""
    for field, reject in (("reject", True), ("restore", False)):
        token = form.get(field)
        if isinstance(token, str) and token:
            return token, reject
    raise NotFound("no decision")


def _too_large(error: TooLarge) -> str:
    """The message for an article over the limit, its size never rounded down to it.

    >>> _too_large(TooLarge(10_000_001, 10_000_000))[:65]
    'That is 10,000,001 bytes; the studio takes articles up to 10 MB ('
    >>> _too_large(TooLarge(12_345_678, 10_000_000))[:50]
    'That is 12.3 MB; the studio takes articles up to 1'
    """
    near = error.size < error.limit + 100_000  # "10.0 MB" would read as the limit itself
    size = f"{error.size:,} bytes" if near else f"{error.size / 1e6:.1f} MB"
    return (
        f"That is {size}; the studio takes articles up to {_megabytes(error.limit)} MB "
        f"({error.limit:,} bytes). Split the article, build it with `leaflet build`, or "
        "start the studio again with a larger `--max-size`."
    )


def _megabytes(size: int) -> str:
    """A limit in megabytes, as the pages say it (``--max-size`` may set any).

    >>> _megabytes(10_000_000), _megabytes(500_000), _megabytes(65_536), _megabytes(2 * 10**9)
    ('10', '0.5', '0.1', '2,000')
    """
    return f"{size / 1e6:,.1f}".removesuffix(".0")


def attachment(stem: str, fmt: str) -> str:
    """A download's ``Content-Disposition``: ``stem.fmt`` as it is (RFC 6266's
    ``filename*``), and its ASCII slug for a browser that cannot read that.

    >>> print(attachment("hayfever", "pdf"))
    attachment; filename="hayfever.pdf"; filename*=UTF-8''hayfever.pdf
    >>> print(attachment("Heuschnupfen – was hilft", "html"))  # doctest: +NORMALIZE_WHITESPACE
    attachment; filename="heuschnupfen-was-hilft.html";
    filename*=UTF-8''Heuschnupfen%20%E2%80%93%20was%20hilft.html
    """
    from pipeline.structure.slug import slugify  # here: the studio starts without spaCy

    plain = stem.isascii() and stem.isprintable() and not any(c in stem for c in '"\\%;')
    fallback, encoded = f"{stem if plain else slugify(stem)}.{fmt}", quote(f"{stem}.{fmt}", safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def _place(request: Request) -> tuple[articles.Where, str]:
    where, name = request.path_params["where"], request.path_params["name"]
    if where not in PLACES:
        raise NotFound(where)
    return where, name


def _print_query(paper: Any, large_print: Any) -> str:
    """The query that carries the leaflet's paper and large print from page to page."""
    values = {"paper": paper if paper in PAPERS else "", "lp": "1" if large_print == "1" else ""}
    return urlencode({k: v for k, v in values.items() if v})


def _print_choices(query: Any) -> tuple[str | None, bool | None]:
    """The paper and large print a leaflet's address asks for (``None``: the settings')."""
    paper = query.get("paper")
    return (paper if paper in PAPERS else None), (True if query.get("lp") == "1" else None)


def _safe_config(studio: Studio) -> LeafletConfig:
    """The settings, or the defaults while the file cannot be used (the settings page
    says why, and a leaflet made then is refused with the same message)."""
    try:
        return studio.config()
    except LeafletError:
        return LeafletConfig()
