"""One rule for the date asked for (`as_of`): `tracker.clock.parse_as_of`,
run here through its three callers with the same cases — a page's address
(`?as_of=`), the API (`?as_of=`) and the command line (`--as-of`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from tests.apptest import open_page, texts
from tracker import api, cli
from tracker.clock import (
    AS_OF_BEFORE_ADOPTION,
    AS_OF_FUTURE,
    AS_OF_MALFORMED,
    parse_as_of,
)
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.errors import ValidationError
from tracker.i18n import describe

TODAY = date.today()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()

# (what is asked, the named error or None, the day it means)
CASES = [
    ("2023-06-30", None, date(2023, 6, 30)),
    (ADOPTION_DATE.isoformat(), None, ADOPTION_DATE),
    (TODAY.isoformat(), None, TODAY),
    ("hier", AS_OF_MALFORMED, None),
    ("", AS_OF_MALFORMED, None),
    (" 2023-06-30 ", AS_OF_MALFORMED, None),
    ("2020-13-01", AS_OF_MALFORMED, None),
    ("20200101", AS_OF_MALFORMED, None),
    ("２０２０-０１-０１", AS_OF_MALFORMED, None),  # full-width digits
    (TOMORROW, AS_OF_FUTURE, None),
    ("2999-01-01", AS_OF_FUTURE, None),
    ("2018-07-04", AS_OF_BEFORE_ADOPTION, None),
    ("2001-01-01", AS_OF_BEFORE_ADOPTION, None),
]
IDS = [repr(raw) for raw, _, _ in CASES]
REFUSED = [case for case in CASES if case[1] is not None]
REFUSED_IDS = [repr(raw) for raw, _, _ in REFUSED]


def _error(raw: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_as_of(raw, TODAY)
    return caught.value


@pytest.mark.parametrize(("raw", "key", "day"), CASES, ids=IDS)
def test_the_rule(raw, key, day):
    if key is None:
        assert parse_as_of(raw, TODAY) == day
    else:
        error = _error(raw)
        assert error.key == key
        assert error.params["parameter"] == "as_of"


def test_nothing_asked_is_now():
    assert parse_as_of(None, TODAY) is None


# ------------------------------------------------------------ the interface


@pytest.mark.parametrize(("raw", "key", "day"), REFUSED, ids=REFUSED_IDS)
def test_a_page_says_why_and_shows_now_or_the_adoption(monkeypatch, demo_app_url, raw, key, day):
    app = open_page(monkeypatch, demo_app_url, "propositions", as_of=raw, lang="en")
    assert not app.exception
    shown = texts(app)
    why = describe(_error(raw), "en", markdown=True)
    assert why in shown
    if key == AS_OF_BEFORE_ADOPTION:
        assert "The situation on 5 July 2018 is shown." in shown
    else:
        assert "The current situation is shown." in shown


# ------------------------------------------------------------------ the API


@pytest.fixture
def client(monkeypatch, demo_sqlite_url) -> Iterator[TestClient]:
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_sqlite_url)
    monkeypatch.delenv("TRACKER_DEMO", raising=False)
    with TestClient(api.standalone()) as test_client:
        yield test_client


@pytest.mark.parametrize(("raw", "key", "day"), CASES, ids=IDS)
def test_the_api(client, raw, key, day):
    response = client.get("/api/v1/proposals", params={"as_of": raw})
    if key is None:
        assert response.status_code == 200
        assert response.json()["meta"]["as_of"] == day.isoformat()
    elif key == AS_OF_BEFORE_ADOPTION:
        # The API's one exception (tests/test_api.py): the state then, empty.
        assert response.status_code == 200
        assert response.json()["data"] == []
    else:
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["parameter"] == "as_of"
        assert error["message"] == describe(_error(raw), "en")
        assert error["message_fr"] == describe(_error(raw), "fr")


# ---------------------------------------------------------- the command line


@pytest.mark.parametrize(("raw", "key", "day"), REFUSED, ids=REFUSED_IDS)
def test_the_command_line_exits_2_with_the_message(monkeypatch, tmp_path, capsys, raw, key, day):
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    out = tmp_path / "note.csv"
    with pytest.raises(SystemExit) as stopped:
        cli.main(["briefing", "--format", "csv", "--out", str(out), "--as-of", raw])
    assert stopped.value.code == 2
    assert describe(_error(raw), "fr") in capsys.readouterr().err
    assert not out.exists()


def test_the_command_line_accepts_a_day_of_the_rule(monkeypatch, demo_app_url, tmp_path):
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_app_url)
    out = tmp_path / "note.csv"
    assert (
        cli.main(["briefing", "--format", "csv", "--out", str(out), "--as-of", "2023-06-30"]) == 0
    )
    assert out.stat().st_size > 0
