"""The read-only public API: open data over HTTP, served beside the interface.

`app.py` hands `routes()` and `middleware()` to Streamlit's `st.App`, so one
server answers both; `standalone()` builds the same API without Streamlit, for
tests and for mounting elsewhere.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware

from tracker.api.middleware import ApiCors, BoundedBody, PrivateRoutes, SecurityHeaders
from tracker.api.routes import routes


def middleware() -> list[Middleware]:
    """Security headers on every response; CORS on the API's; bodies bounded
    on our routes (the API and `/auth/*`); Streamlit's metrics hidden."""
    return [
        Middleware(SecurityHeaders),
        Middleware(PrivateRoutes),
        Middleware(BoundedBody),
        Middleware(ApiCors),
    ]


def standalone() -> Starlette:
    """The API alone, as `app.py` serves it, but without the interface."""
    return Starlette(routes=routes(), middleware=middleware())


__all__ = ["middleware", "routes", "standalone"]
