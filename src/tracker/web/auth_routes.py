"""The two HTTP routes that set and clear the session cookie.

A Streamlit script cannot set a cookie, so `st.App` serves these beside the
interface (`app.py`: `routes=auth_routes()`):

- `POST /auth/session` (form fields `code`, `next`): spends a one-time code
  made by the sign-in page after it checked the password, sets the session
  cookie and redirects (303) to `next`, a path on this site only.
- `POST /auth/sign-out` (field `next`): ends the session whose cookie it
  receives, clears the cookie, redirects (303) to `/`.

Both take POST only and refuse a request whose `Origin` (or, failing that,
`Sec-Fetch-Site` or `Referer`) is not this site: another site can neither sign
someone in to an account of its choosing nor sign them out. The cookie is also
`SameSite=Lax`, so a cross-site POST does not carry it. The code travels in the
body, never in the address, and nothing here logs it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tracker import config
from tracker.accounts import sessions
from tracker.operations.startup import prepared_engine

SESSION_COOKIE = "tracker_session"
SIGN_IN_PATH = "/auth/session"
SIGN_OUT_PATH = "/auth/sign-out"
SIGN_IN_FAILED = "/connexion?signin=failed"
MAX_BODY = 8192


def engine() -> Engine:
    """The database the interface uses, prepared at the server's start."""
    return prepared_engine()


def secure_cookies(request: Request) -> bool:
    """`Secure` when the request came over HTTPS (directly or through a proxy
    that says so), unless `TRACKER_SECURE_COOKIES` is `1` (always) or `0` (never)."""
    setting = config.secure_cookies()
    if setting is not None:
        return setting
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def same_origin(request: Request) -> bool:
    """Whether the request comes from a page of this site.

    Behind a reverse proxy that rewrites `Host`, its `X-Forwarded-Host` is
    accepted too: a form on another site cannot set either header."""
    hosts = {request.headers.get("host", "")}
    hosts.update(h.strip() for h in request.headers.get("x-forwarded-host", "").split(","))
    hosts.discard("")
    origin = request.headers.get("origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc in hosts
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    referer = request.headers.get("referer")
    return referer is not None and urlsplit(referer).netloc in hosts


async def _form(request: Request) -> dict[str, str]:
    """The form's fields; nothing for a body over `MAX_BODY`, of which no more
    than the limit is read (the server's `BoundedBody` refuses it first)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return {}
    fields = parse_qs(bytes(body).decode("utf-8", errors="replace"), max_num_fields=10)
    return {key: values[0] for key, values in fields.items() if values}


def _redirect(path: str) -> RedirectResponse:
    response = RedirectResponse(path, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _open_session(code: str) -> str | None:
    return sessions.redeem_code(engine(), code)


def _close_session(token: str | None) -> None:
    sessions.sign_out(engine(), token)


async def sign_in(request: Request) -> Response:
    if not same_origin(request):
        return _redirect(SIGN_IN_FAILED)
    form = await _form(request)
    token = await run_in_threadpool(_open_session, form.get("code", ""))
    if token is None:
        return _redirect(SIGN_IN_FAILED)
    response = _redirect(sessions.safe_next(form.get("next"), default="/connexion"))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    return response


async def sign_out(request: Request) -> Response:
    form = await _form(request)
    destination = sessions.safe_next(form.get("next"), default="/")
    if not same_origin(request):
        return _redirect(destination)
    await run_in_threadpool(_close_session, request.cookies.get(SESSION_COOKIE))
    response = _redirect(destination)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies(request)
    )
    return response


def auth_routes() -> list[Route]:
    """The routes to give `st.App(..., routes=...)`."""
    return [
        Route(SIGN_IN_PATH, sign_in, methods=["POST"]),
        Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
    ]
