"""The API's routes: each reads its parameters, asks `services.opendata` for
the data and answers; no rule of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tracker.api import database, params
from tracker.api.http import csv_response, endpoint, json_bytes, json_response, not_modified
from tracker.api.openapi import openapi
from tracker.catalogue import queries as catalogue_queries
from tracker.config import public_url
from tracker.db import settings
from tracker.db.engine import reading
from tracker.errors import NotFound
from tracker.followup import queries
from tracker.opendata import package as opendata
from tracker.opendata.package import DataVersion, PublicResource

PREFIX = "/api/v1"


def _owner_codes(session: Session) -> list[str]:
    return catalogue_queries.organisations_frame(session)["code"].tolist()


def _known_number(session: Session, number: int | None) -> int | None:
    if number is not None and number not in set(queries.proposals_frame(session)["number"]):
        raise NotFound("api.proposal_not_found", parameter="proposal", number=number)
    return number


Prepare = Callable[[Session], Any]
Answer = Callable[[Session, DataVersion, Any], Response]


def _read(request: Request, prepare: Prepare, answer: Answer) -> Response:
    """Check the parameters (`prepare`, which may raise a named error), then
    answer 304 if the client's copy is current, else `answer`; all in one
    read transaction."""
    with reading(database.engine()) as session:
        prepared = prepare(session)
        version = opendata.data_version(session)
        cached = not_modified(request, version)
        if cached is not None:
            return cached
        return answer(session, version, prepared)


def _meta(session: Session, **extra: object) -> dict[str, object]:
    return {
        **extra,
        "demonstration": settings.is_demo(session),
        "licence": opendata.LICENCE["name"],
    }


# ------------------------------------------------------------------ proposals


def _proposal_query(request: Request):
    query = request.query_params

    def prepare(session: Session):
        params.check_known(query, [*params.FILTERS, "as_of"])
        wanted = params.proposal_filter(query, _owner_codes(session))
        as_of = params.day(params.single(query, "as_of"))
        return wanted, as_of

    return prepare


@endpoint
def proposals(request: Request) -> Response:
    def answer(session, version, prepared):
        wanted, as_of = prepared
        frame = opendata.proposals_public(session, wanted=wanted, as_of=as_of)
        data = opendata.records(frame, opendata.PROPOSALS_SCHEMA)
        meta = _meta(session, total=len(data), as_of=as_of.isoformat() if as_of else None)
        return json_response({"data": data, "meta": meta}, version)

    return _read(request, _proposal_query(request), answer)


@endpoint
def proposals_csv(request: Request) -> Response:
    def answer(session, version, prepared):
        wanted, as_of = prepared
        frame = opendata.proposals_public(session, wanted=wanted, as_of=as_of)
        return csv_response(
            opendata.csv_bytes(frame, opendata.PROPOSALS_SCHEMA), version, "proposals.csv"
        )

    return _read(request, _proposal_query(request), answer)


@endpoint
def proposal(request: Request) -> Response:
    query = request.query_params

    def prepare(session: Session):
        number = params.proposal_number(request.path_params["n"])
        params.check_known(query, ["as_of"])
        return number, params.day(params.single(query, "as_of"))

    def answer(session, version, prepared):
        number, as_of = prepared
        frame = opendata.proposals_public(session, as_of=as_of)
        row = frame[frame["number"] == number]
        if row.empty:
            if as_of is not None and _exists(session, number):
                raise NotFound(
                    "api.proposal_not_yet", parameter="as_of", number=number, as_of=as_of
                )
            raise NotFound("api.proposal_not_found", parameter="n", number=number)
        data = opendata.records(row, opendata.PROPOSALS_SCHEMA)[0]
        meta = _meta(session, as_of=as_of.isoformat() if as_of else None)
        return json_response({"data": data, "meta": meta}, version)

    return _read(request, prepare, answer)


def _exists(session: Session, number: int) -> bool:
    return number in set(queries.proposals_frame(session)["number"])


# --------------------------------------------------------- paginated lists


def _paginated(
    request: Request, frame: pd.DataFrame, resource: PublicResource, page: params.Page
) -> tuple[dict[str, object], dict[str, str]]:
    total = len(frame)
    rows = frame.iloc[page.start : page.start + page.size]
    pages = max(1, -(-total // page.size))

    def link(number: int) -> str:
        # From the public address when it is set, else a path of this server:
        # never from the request's Host header, which the client chooses.
        url = request.url.include_query_params(page=number, per_page=page.size)
        return f"{public_url()}{url.path}?{url.query}"

    links = {
        "self": link(page.number),
        "next": link(page.number + 1) if page.number < pages else None,
        "prev": link(page.number - 1) if 1 < page.number <= pages else None,
    }
    body = {
        "data": opendata.records(rows, resource.schema),
        "meta": {"page": page.number, "per_page": page.size, "total": total, "pages": pages},
        "links": links,
    }
    header = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self"
    )
    return body, ({"Link": header} if header else {})


def _list_routes(
    name: str, frame: Callable[[Session, int | None], pd.DataFrame], filter_name: str | None
) -> list[Route]:
    """`/<name>` (JSON, paginated) and `/<name>.csv` (every row) of one resource."""
    resource = opendata.resource(name)

    def prepare_for(request: Request, paginated: bool):
        def prepare(session: Session):
            query = request.query_params
            filters = (filter_name,) if filter_name else ()
            params.check_known(query, [*(params.PAGINATION if paginated else ()), *filters])
            number = None
            if filter_name and (raw := params.single(query, filter_name)) is not None:
                number = _known_number(session, params.whole_number(raw, filter_name, 0))
            return number, params.page(query) if paginated else None

        return prepare

    @endpoint
    def as_json(request: Request) -> Response:
        def answer(session, version, prepared):
            number, page = prepared
            body, headers = _paginated(request, frame(session, number), resource, page)
            body["meta"] = _meta(session, **body["meta"])
            return json_response(body, version, headers)

        return _read(request, prepare_for(request, paginated=True), answer)

    @endpoint
    def as_csv(request: Request) -> Response:
        def answer(session, version, prepared):
            number, _ = prepared
            data = opendata.csv_bytes(frame(session, number), resource.schema)
            return csv_response(data, version, resource.path)

        return _read(request, prepare_for(request, paginated=False), answer)

    return [
        Route(f"{PREFIX}/{name}", as_json, methods=["GET"], name=name),
        Route(f"{PREFIX}/{name}.csv", as_csv, methods=["GET"], name=f"{name}_csv"),
    ]


# ------------------------------------------------------ package, description


@endpoint
def datapackage(request: Request) -> Response:
    def answer(session, version, prepared):
        return json_response(opendata.datapackage(session), version)

    return _read(request, lambda session: params.check_known(request.query_params, []), answer)


@endpoint
def openapi_document(request: Request) -> Response:
    def answer(session, version, prepared):
        return json_response(openapi(_owner_codes(session)), version)

    return _read(request, lambda session: params.check_known(request.query_params, []), answer)


def healthz(request: Request) -> Response:
    """200 when the database answers, 503 otherwise; never cached."""
    ok = database.answers()
    return Response(
        json_bytes({"status": "ok" if ok else "unavailable", "database": ok}),
        status_code=200 if ok else 503,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


@endpoint
def unknown(request: Request) -> Response:
    """Anything else under /api: a JSON 404, not the interface's page."""
    raise NotFound("api.unknown_route", parameter=None, path=request.url.path[:200])


def routes() -> list[BaseRoute]:
    return [
        Route(f"{PREFIX}/proposals", proposals, methods=["GET"], name="proposals"),
        Route(f"{PREFIX}/proposals.csv", proposals_csv, methods=["GET"], name="proposals_csv"),
        Route(f"{PREFIX}/proposals/{{n}}", proposal, methods=["GET"], name="proposal"),
        *_list_routes(
            "history",
            lambda session, number: opendata.history_public(session, number=number),
            "proposal",
        ),
        *_list_routes(
            "contributions",
            lambda session, number: opendata.contributions_public(session, number=number),
            "proposal",
        ),
        *_list_routes(
            "organisations", lambda session, number: opendata.organisations_public(session), None
        ),
        *_list_routes("sessions", lambda session, number: opendata.sessions_public(session), None),
        *_list_routes(
            "decisions", lambda session, number: opendata.decisions_public(session), None
        ),
        Route(f"{PREFIX}/datapackage.json", datapackage, methods=["GET"], name="datapackage"),
        Route(f"{PREFIX}/openapi.json", openapi_document, methods=["GET"], name="openapi"),
        Route("/healthz", healthz, methods=["GET"], name="healthz"),
        Route("/api", unknown, methods=["GET"]),
        Route("/api/{rest:path}", unknown, methods=["GET"]),
    ]
