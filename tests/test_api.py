"""The public API, route by route, on a SQLite copy of the demonstration data
(Starlette's TestClient on the same routes and middleware that `app.py` serves)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from starlette.testclient import TestClient

from tracker import api
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import Role
from tracker.followup.actions import update_followup

SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}
LISTS = [
    "/api/v1/proposals",
    "/api/v1/history",
    "/api/v1/contributions",
    "/api/v1/organisations",
    "/api/v1/sessions",
    "/api/v1/decisions",
]
EVERY_ROUTE = [
    *LISTS,
    *[f"{path}.csv" for path in LISTS],
    "/api/v1/proposals/1",
    "/api/v1/datapackage.json",
    "/api/v1/openapi.json",
]


@pytest.fixture
def client(monkeypatch, demo_sqlite_url) -> Iterator[TestClient]:
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_sqlite_url)
    monkeypatch.delenv("TRACKER_DEMO", raising=False)
    with TestClient(api.standalone()) as test_client:
        yield test_client


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"parameter", "message", "message_fr"}
    return body["error"]


# ---------------------------------------------------------------- proposals


def test_proposals_lists_the_twenty_with_meta(client):
    response = client.get("/api/v1/proposals")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert [p["number"] for p in body["data"]] == list(range(1, 21))
    assert body["meta"] == {
        "total": 20,
        "as_of": None,
        "demonstration": True,
        "licence": "etalab-2.0",
    }


def test_proposals_take_the_table_s_filters(client):
    body = client.get("/api/v1/proposals?theme=durable,connectee&status=engagee").json()
    assert body["data"]
    assert {p["primary_theme"] for p in body["data"]} <= {"durable", "connectee"}
    assert {p["status"] for p in body["data"]} == {"engagee"}
    repeated = client.get("/api/v1/proposals?theme=durable&theme=connectee&status=engagee")
    assert repeated.json()["data"] == body["data"]
    owned = client.get("/api/v1/proposals?owner=cncd").json()["data"]
    assert owned and all(
        p["lead_owner"] == "cncd" or "cncd" in (p["co_owners"] or "") for p in owned
    )
    searched = client.get("/api/v1/proposals", params={"q": "fondation"}).json()["data"]
    assert 1 in [p["number"] for p in searched]


def test_proposals_as_of_a_date_are_rebuilt_from_history(client):
    body = client.get("/api/v1/proposals?as_of=2018-07-05").json()
    assert body["meta"]["as_of"] == "2018-07-05"
    assert {p["status"] for p in body["data"]} == {"non_evaluee"}
    assert client.get("/api/v1/proposals?as_of=2018-07-04").json()["data"] == []


def test_one_proposal_and_its_state_at_a_date(client):
    now = client.get("/api/v1/proposals/1").json()["data"]
    then = client.get("/api/v1/proposals/1?as_of=2018-07-05").json()["data"]
    assert now["number"] == then["number"] == 1
    assert then["status"] == "non_evaluee" and then["progress"] is None
    assert now["status"] != "non_evaluee"


def test_an_unknown_proposal_is_a_404_naming_the_number(client):
    response = client.get("/api/v1/proposals/21")
    assert response.status_code == 404
    error = error_of(response)
    assert error["parameter"] == "n"
    assert "21" in error["message"] and "21" in error["message_fr"]


def test_a_proposal_before_the_adoption_is_a_404_naming_as_of(client):
    response = client.get("/api/v1/proposals/1?as_of=2018-01-01")
    assert response.status_code == 404
    assert error_of(response)["parameter"] == "as_of"


# --------------------------------------------------------- paginated lists


def test_history_is_paginated_with_total_and_links(client):
    first = client.get("/api/v1/history?per_page=50")
    body = first.json()
    total = body["meta"]["total"]
    assert total > 50
    assert len(body["data"]) == 50
    assert body["meta"]["page"] == 1 and body["meta"]["per_page"] == 50
    assert body["links"]["prev"] is None
    assert body["links"]["next"].endswith("/api/v1/history?page=2&per_page=50")
    assert 'rel="next"' in first.headers["link"]
    pages = body["meta"]["pages"]
    last = client.get(f"/api/v1/history?per_page=50&page={pages}").json()
    assert last["links"]["next"] is None
    assert len(last["data"]) == total - 50 * (pages - 1)
    beyond = client.get(f"/api/v1/history?per_page=50&page={pages + 1}").json()
    assert beyond["data"] == [] and beyond["links"]["next"] is None


def test_following_next_links_gives_every_change_once(client):
    url, seen = "/api/v1/history?per_page=500", []
    while url:
        body = client.get(url).json()
        seen.extend(body["data"])
        url = body["links"]["next"]
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/history.csv").text)))
    assert len(seen) == len(csv_rows) == body["meta"]["total"]


def test_history_of_one_proposal(client):
    body = client.get("/api/v1/history?proposal=2").json()
    assert body["data"] and {c["number"] for c in body["data"]} == {2}
    assert client.get("/api/v1/history?proposal=99").status_code == 404


def test_contributions_are_paginated_and_filtered_by_proposal(client):
    body = client.get("/api/v1/contributions?per_page=2").json()
    assert body["meta"]["total"] == 4
    assert len(body["data"]) == 2 and body["links"]["next"]
    assert {
        c["proposal"] for c in client.get("/api/v1/contributions?proposal=4").json()["data"]
    } == {4}
    assert client.get("/api/v1/contributions?proposal=42").status_code == 404


def test_history_publishes_who_recorded_a_change_by_role_never_by_name(client):
    body = client.get("/api/v1/history?per_page=500").json()
    assert all("author" not in change for change in body["data"])
    assert {c["recorded_by"] for c in body["data"]} == {"system", "secretariat"}


# ------------------------------------------------------------------- CSV


@pytest.mark.parametrize("path", [f"{p}.csv" for p in LISTS])
def test_csv_variants_are_utf8_comma_separated_with_a_header(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv; charset=utf-8")
    assert not response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8").splitlines()[0]
    assert "," in header and ";" not in header
    name = path.rsplit("/", 1)[1]
    schema = client.get("/api/v1/datapackage.json").json()["resources"]
    fields = next(r for r in schema if r["path"] == name)["schema"]["fields"]
    assert header.split(",") == [f["name"] for f in fields]


def test_proposals_csv_takes_the_same_filters(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/proposals.csv?theme=durable").text)))
    assert rows and {r["primary_theme"] for r in rows} == {"durable"}


# -------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/proposals?theme=verte", "theme"),
        ("/api/v1/proposals?status=finie", "status"),
        ("/api/v1/proposals?owner=nobody", "owner"),
        ("/api/v1/proposals?q=" + "x" * 201, "q"),
        ("/api/v1/proposals?q=a&q=b", "q"),
        ("/api/v1/proposals?as_of=2020-13-01", "as_of"),
        ("/api/v1/proposals?as_of=hier", "as_of"),
        ("/api/v1/proposals?as_of=20200101", "as_of"),
        ("/api/v1/proposals?thème=durable", "thème"),
        ("/api/v1/proposals.csv?page=2", "page"),
        ("/api/v1/proposals/abc", "n"),
        ("/api/v1/proposals/0", "n"),
        ("/api/v1/proposals/-1", "n"),
        ("/api/v1/proposals/1?theme=durable", "theme"),
        ("/api/v1/history?page=0", "page"),
        ("/api/v1/history?page=deux", "page"),
        ("/api/v1/history?page=1.5", "page"),
        ("/api/v1/history?page=%EF%BC%92", "page"),  # a full-width digit
        ("/api/v1/history?per_page=501", "per_page"),
        ("/api/v1/history?per_page=10&per_page=20", "per_page"),
        ("/api/v1/history?page=9999999999", "page"),
        ("/api/v1/history?proposal=x", "proposal"),
        ("/api/v1/organisations?proposal=1", "proposal"),
        ("/api/v1/datapackage.json?x=1", "x"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter_in_english_and_french(
    client, path, parameter
):
    response = client.get(path)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    error = error_of(response)
    assert error["parameter"] == parameter
    assert error["message"] != error["message_fr"]


def test_unknown_api_addresses_are_a_json_404_not_the_interface(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert error_of(response)["message"].startswith("There is nothing at /api/v1/nothing")


# ------------------------------------------------------ caches and CORS


@pytest.mark.parametrize("path", EVERY_ROUTE)
def test_every_route_has_validators_cors_and_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"')
    assert response.headers["last-modified"].endswith("GMT")
    assert response.headers["access-control-allow-origin"] == "*"
    for name, value in SECURITY.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    for directive in ("frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'"):
        assert directive in policy
    assert "camera=()" in response.headers["permissions-policy"]


@pytest.mark.parametrize("path", EVERY_ROUTE)
def test_a_matching_if_none_match_is_a_304(client, path):
    etag = client.get(path).headers["etag"]
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert response.headers["access-control-allow-origin"] == "*"
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_if_modified_since_is_a_304_until_the_data_changes(client, demo_sqlite_url):
    first = client.get("/api/v1/proposals")
    since = first.headers["last-modified"]
    assert client.get("/api/v1/proposals", headers={"If-Modified-Since": since}).status_code == 304
    earlier = format_datetime(datetime.now(UTC) - timedelta(days=3650), usegmt=True)
    assert (
        client.get("/api/v1/proposals", headers={"If-Modified-Since": earlier}).status_code == 200
    )
    engine = make_engine(demo_sqlite_url)
    with transaction(engine) as session:
        update_followup(
            session,
            Actor("Relecteur", Role.REVIEWER),
            7,
            {"progress": 60, "status": "engagee"},
            at=datetime.now(UTC) + timedelta(minutes=1),
        )
    engine.dispose()
    changed = client.get("/api/v1/proposals", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200
    assert changed.headers["etag"] != first.headers["etag"]
    assert client.get("/api/v1/proposals", headers={"If-Modified-Since": since}).status_code == 200


def test_a_bad_parameter_is_refused_even_with_a_current_etag(client):
    etag = client.get("/api/v1/proposals").headers["etag"]
    response = client.get("/api/v1/proposals?theme=verte", headers={"If-None-Match": etag})
    assert response.status_code == 400


def test_cors_preflight_allows_conditional_gets_from_any_origin(client):
    response = client.options(
        "/api/v1/proposals",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]
    assert "If-None-Match" in response.headers["access-control-allow-headers"]


def test_the_api_is_read_only(client):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/v1/proposals").status_code == 405


# ---------------------------------------------------- description, health


def test_openapi_describes_every_route_in_version_3_1(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/v1/proposals",
        "/api/v1/proposals.csv",
        "/api/v1/proposals/{n}",
        "/api/v1/history",
        "/api/v1/history.csv",
        "/api/v1/contributions",
        "/api/v1/contributions.csv",
        "/api/v1/organisations",
        "/api/v1/organisations.csv",
        "/api/v1/sessions",
        "/api/v1/sessions.csv",
        "/api/v1/decisions",
        "/api/v1/decisions.csv",
        "/api/v1/datapackage.json",
        "/api/v1/openapi.json",
        "/healthz",
    }
    owner = next(
        p
        for p in document["paths"]["/api/v1/proposals"]["get"]["parameters"]
        if p["name"] == "owner"
    )
    assert "cncd" in owner["schema"]["items"]["enum"]


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}
    assert response.headers["cache-control"] == "no-store"


def test_healthz_is_503_and_routes_say_so_when_the_database_does_not_answer(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path}/missing/folder/x.db")
    with TestClient(api.standalone()) as client:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": False}
        down = client.get("/api/v1/proposals")
    assert down.status_code == 503
    assert error_of(down)["message"].startswith("The database does not answer")


# ------------------------------------------------------- what a header tells


def test_the_etag_does_not_tell_the_tools_version_nor_the_revision(client, demo_sqlite_url):
    from tracker import __version__
    from tracker.db import settings
    from tracker.db.engine import reading

    engine = make_engine(demo_sqlite_url)
    with reading(engine) as session:
        revision = settings.revision(session)
    engine.dispose()
    etag = client.get("/api/v1/proposals").headers["etag"]
    opaque = etag.removeprefix("W/").strip('"')
    assert __version__ not in opaque
    assert str(revision) not in opaque.split("-")
    assert len(opaque) >= 16 and opaque.isalnum()


def test_links_are_built_from_the_public_url_never_from_the_host_header(client, monkeypatch):
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://suivi.example.fr/")
    response = client.get("/api/v1/history?page=2&per_page=2", headers={"Host": "evil.example"})
    links = response.json()["links"]
    assert links["next"] == "https://suivi.example.fr/api/v1/history?page=3&per_page=2"
    assert links["prev"] == "https://suivi.example.fr/api/v1/history?page=1&per_page=2"
    assert "evil.example" not in response.headers["link"]
    assert "<https://suivi.example.fr/api/v1/history?page=3&per_page=2>" in response.headers["link"]


def test_without_a_public_url_links_are_paths_of_this_server_never_the_host_header(client):
    response = client.get("/api/v1/history?per_page=2", headers={"Host": "evil.example"})
    assert response.json()["links"]["next"] == "/api/v1/history?page=2&per_page=2"
    assert "evil.example" not in response.headers["link"]


# ------------------------------------------------------- formulas in the CSVs

FORMULAS = ['=HYPERLINK("https://evil.example","x")', "@SUM(A1:A9)", "+1+1", "-2+3", "\t=1", "\r=1"]


def _formulas_everywhere(url: str) -> None:
    """A validated contribution and a follow-up change whose texts are formulas."""
    from tracker.accounts import queries as account_queries
    from tracker.catalogue.actions import save_organisation
    from tracker.contributions import actions as contributions

    engine = make_engine(url)
    with transaction(engine) as session:

        def actor(email):
            return account_queries.actor_for(account_queries.get_account(session, email))

        item = contributions.create(
            session,
            actor("lille@demo.invalid"),
            {
                "proposal": 3,
                "title": FORMULAS[0],
                "description": "\n".join(FORMULAS[1:]),
                "partner_authority": FORMULAS[1],
                "status": "engagee",
                "progress": 5,
            },
            submit=True,
        )
        contributions.validate(session, actor("secretariat@demo.invalid"), item.id)
        update_followup(
            session,
            Actor("Relecteur", Role.REVIEWER),
            7,
            {"next_steps_fr": FORMULAS[1], "blockers_fr": FORMULAS[2]},
            comment_fr=FORMULAS[0],
        )
        save_organisation(
            session,
            actor("admin@demo.invalid"),
            {
                "code": "formules",
                "short_name": FORMULAS[2],
                "full_name": FORMULAS[0],
                "kind": "association",
            },
        )
    engine.dispose()


def _cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8"))) for cell in row]


@pytest.mark.parametrize("path", [f"{path}.csv" for path in LISTS])
def test_no_cell_of_an_api_csv_starts_as_a_spreadsheet_formula(client, demo_sqlite_url, path):
    _formulas_everywhere(demo_sqlite_url)
    body = client.get(path).content
    if not path.endswith(("sessions.csv", "decisions.csv")):  # planted in these four
        assert any(formula in body.decode() for formula in FORMULAS[:3])
    for cell in _cells(body):
        if cell.startswith(("=", "+", "@", "\t", "\r")) or (
            cell.startswith("-") and not cell[1:].replace(".", "").isdigit()
        ):
            raise AssertionError(f"{path}: {cell!r} would run as a formula")


def test_the_json_keeps_the_exact_text_the_csv_makes_safe(client, demo_sqlite_url):
    _formulas_everywhere(demo_sqlite_url)
    data = client.get("/api/v1/contributions?per_page=500").json()["data"]
    mine = next(row for row in data if row["title"] == FORMULAS[0])
    assert mine["partner_authority"] == FORMULAS[1]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/contributions.csv").text)))
    theirs = next(row for row in rows if row["title"].endswith(FORMULAS[0]))
    assert theirs["title"] == "'" + FORMULAS[0]
    assert theirs["partner_authority"] == "'" + FORMULAS[1]
