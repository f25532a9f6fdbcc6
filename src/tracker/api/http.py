"""HTTP for the API: JSON and CSV bodies, cache validators, and the one place
where named errors become JSON answers."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from email.utils import format_datetime, parsedate_to_datetime
from functools import wraps
from typing import Any

from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import Response

from tracker.errors import NotFound, ServiceUnavailable, TrackerError, ValidationError
from tracker.i18n import describe
from tracker.opendata.package import DataVersion

log = logging.getLogger(__name__)

JSON = "application/json"
CSV = "text/csv; charset=utf-8; header=present"
ERROR_STATUS: dict[type[TrackerError], int] = {
    ValidationError: 400,
    NotFound: 404,
    ServiceUnavailable: 503,
}


def json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def _validators(version: DataVersion) -> dict[str, str]:
    return {
        "ETag": version.etag,
        "Last-Modified": format_datetime(version.last_modified, usegmt=True),
        # Stored, but checked with the server every time: the answer is a 304
        # as long as the data has not changed.
        "Cache-Control": "no-cache",
    }


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def not_modified(request: Request, version: DataVersion) -> Response | None:
    """A 304 when the client's copy is current (If-None-Match first, then
    If-Modified-Since, as RFC 9110 orders them), else None."""
    headers = _validators(version)
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = _etags(if_none_match)
        if "*" in tags or version.etag.removeprefix("W/") in tags:
            return Response(status_code=304, headers=headers)
        return None
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return None
        if since.tzinfo is not None and version.last_modified <= since:
            return Response(status_code=304, headers=headers)
    return None


def json_response(body: Any, version: DataVersion, headers: dict[str, str] | None = None):
    return Response(
        json_bytes(body), media_type=JSON, headers={**_validators(version), **(headers or {})}
    )


def csv_response(data: bytes, version: DataVersion, filename: str) -> Response:
    return Response(
        data,
        media_type=CSV,
        headers={
            **_validators(version),
            "Content-Disposition": f'inline; filename="{filename}"',
        },
    )


def error_body(error: TrackerError) -> dict[str, Any]:
    """`{"error": {"parameter", "message", "message_fr"}}`: English first, French beside it."""
    return {
        "error": {
            "parameter": error.params.get("parameter"),
            "message": describe(error, "en"),
            "message_fr": describe(error, "fr"),
        }
    }


def error_response(error: TrackerError) -> Response:
    status = next((s for kind, s in ERROR_STATUS.items() if isinstance(error, kind)), 500)
    return Response(
        json_bytes(error_body(error)),
        status_code=status,
        media_type=JSON,
        headers={"Cache-Control": "no-store"},
    )


def endpoint(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """A route's handler, its named errors answered as JSON. A database that
    does not answer is a 503; anything unexpected a 500 without a traceback."""

    @wraps(handler)
    def guarded(request: Request) -> Response:
        try:
            return handler(request)
        except TrackerError as error:
            return error_response(error)
        except OperationalError:
            log.exception("database unavailable for %s", request.url.path)
            return error_response(ServiceUnavailable("api.database_unavailable"))
        except Exception:
            log.exception("unexpected error for %s", request.url.path)
            return error_response(TrackerError("api.unexpected"))

    return guarded
