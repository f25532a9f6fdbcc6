"""The /note page as a person opens it: comparison, alerts, downloads, sessions."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from tests import contribution_story as story
from tests.apptest import open_page, texts
from tracker.db.engine import make_engine
from tracker.db.models import ReviewSession
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import ADOPTION_DATE, Role
from tracker.review_sessions.queries import review_sessions_frame

REVIEWER = Actor("Relectrice CNCD", Role.REVIEWER)


def test_note_page_shows_comparison_alerts_and_four_downloads(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "note")
    assert not app.exception
    shown = texts(app)
    assert "Note de synthèse et séances de suivi" in shown
    assert "Principaux changements depuis le 5 juillet 2018" in shown
    assert "Alertes" in shown and "Échéance dépassée" in shown
    assert "Seul le secrétariat de la CNCD" in shown  # a visitor gets no form
    # The four briefing formats, and the CSV of the contributions validated since
    # the adoption (the demonstration's four).
    assert len(app.get("download_button")) == 5
    assert "4 contributions validées entre le 5 juillet 2018" in shown
    assert not app.get("form")


def test_a_reviewer_records_a_session_from_the_page(monkeypatch, demo_app_url):
    monkeypatch.setattr("tracker.ui.auth.current_actor", lambda: REVIEWER)
    app = open_page(monkeypatch, demo_app_url, "note", lang="en")
    assert not app.exception
    app.text_input[0].input("CNCD working group, 5th session")
    app.date_input[-1].set_value(date(2024, 6, 1))
    app.button[0].click().run()
    assert not app.exception
    with transaction(make_engine(demo_app_url)) as session:
        sessions = review_sessions_frame(session)
        recorded = session.scalars(select(ReviewSession.recorded_by)).all()
    assert sessions["label"].tolist() == ["CNCD working group, 5th session"]
    assert sessions["state"].tolist() == ["held"]
    assert recorded == [REVIEWER.account]
    assert "Main changes since 1 June 2024" in texts(app)


def dates(app) -> tuple[date, date]:
    as_of, since = app.date_input[0].value, app.date_input[1].value
    return as_of, since


def test_a_note_link_restores_its_dates_and_filters(monkeypatch, demo_app_url):
    app = open_page(
        monkeypatch,
        demo_app_url,
        "note",
        as_of="2025-12-31",
        since="2024-06-01",
        theme="durable",
        status="engagee",
        owner="mel",
    )
    assert not app.exception
    assert dates(app) == (date(2025, 12, 31), date(2024, 6, 1))
    assert [m.value for m in app.multiselect] == [["durable"], ["engagee"], ["mel"]]
    shown = texts(app)
    assert "Situation au 31 décembre 2025" in shown
    assert "Principaux changements depuis le 1er juin 2024" in shown
    assert "reconstituée à partir de l’historique" in shown  # a past state, said so
    assert dict(app.query_params) == {
        "as_of": "2025-12-31",
        "since": "2024-06-01",
        "theme": "durable",
        "status": "engagee",
        "owner": "mel",
    }


def test_choices_on_the_note_are_written_into_its_address(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "note", lang="en")
    app.multiselect[0].set_value(["solidaire", "connectee"]).run()
    app.date_input[0].set_value(date(2024, 12, 31)).run()
    app.date_input[1].set_value(date(2023, 3, 1)).run()
    assert not app.exception
    params = app.query_params
    assert params["as_of"] == "2024-12-31" and params["since"] == "2023-03-01"
    assert list(params["theme"]) == ["solidaire", "connectee"]
    assert "owner" not in params and "status" not in params
    again = open_page(monkeypatch, demo_app_url, "note", **{k: v for k, v in params.items()})
    assert dates(again) == (date(2024, 12, 31), date(2023, 3, 1))
    assert again.multiselect[0].value == ["solidaire", "connectee"]


def test_since_is_kept_when_as_of_moves_and_stays_after_it(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "note", as_of="2025-12-31", since="2022-01-01")
    app.date_input[0].set_value(date(2024, 1, 31)).run()
    assert dates(app) == (date(2024, 1, 31), date(2022, 1, 1))
    app.date_input[0].set_value(date(2022, 1, 1)).run()
    assert dates(app) == (date(2022, 1, 1), date(2022, 1, 1))
    assert not [w for w in app.warning if "comparaison" in w.value]


def test_since_after_a_new_as_of_goes_back_to_the_last_session_and_says_so(
    monkeypatch, demo_app_url
):
    app = open_page(monkeypatch, demo_app_url, "note", as_of="2025-12-31", since="2024-06-01")
    app.date_input[0].set_value(date(2021, 3, 31)).run()
    assert not app.exception
    assert dates(app) == (date(2021, 3, 31), ADOPTION_DATE)
    warned = " ".join(w.value for w in app.warning)
    assert "La date de comparaison (1er juin 2024) était postérieure" in warned
    assert "ramenée au 5 juillet 2018" in warned
    assert app.query_params["since"] == ADOPTION_DATE.isoformat()


def test_unusable_dates_in_a_link_are_said_and_replaced(monkeypatch, demo_app_url):
    app = open_page(
        monkeypatch, demo_app_url, "note", as_of="2024-02-30", since="2030-01-01", theme="nope"
    )
    assert not app.exception
    warned = " ".join(w.value for w in app.warning)
    assert "`2024-02-30` n’est pas reconnue" in warned
    assert "date de comparaison `2030-01-01` n’est pas utilisable" in warned
    assert "nope" in warned
    assert dates(app)[0] == date.today()


def note_on_the_story(monkeypatch, url: str):
    """The note between the story's two dates, once the dated story of
    contributions is in the database: (page, ids of the story, versions in the table)."""
    engine = make_engine(url)
    with transaction(engine) as session:
        ids = story.add_story(session)
    with transaction(engine) as session:
        rows = story.versions_in_database(session)
    engine.dispose()
    app = open_page(
        monkeypatch, url, "note", as_of=story.AS_OF.isoformat(), since=story.SINCE.isoformat()
    )
    return app, ids, rows


def test_the_note_lists_the_contributions_validated_between_its_dates(monkeypatch, demo_app_url):
    app, ids, rows = note_on_the_story(monkeypatch, demo_app_url)
    expected = story.expected_between(rows, story.SINCE, story.AS_OF, set(range(1, 21)))
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "Validée le" in frame.value.columns)
    assert table["Contribution"].tolist() == [title for title, _ in expected.values()]
    assert set(expected) == {ids["lille_4"], ids["lyon_12"]}
    assert "2 contributions validées entre le 1er juin 2024 et le 31 décembre 2025" in texts(app)
    app.multiselect[0].set_value(["solidaire"]).run()
    table = next(frame.value for frame in app.dataframe if "Validée le" in frame.value.columns)
    assert table["N°"].tolist() == [12]
    # written as the note's text writes dates (« 5 mars 2024 »), not « 05/03/2024 »
    assert re.fullmatch(r"[0-9]{1,2}(er)? [a-zéû]+ 20[0-9]{2}", table["Validée le"].iloc[0])


def test_the_note_shows_the_first_contributions_validated_in_between_and_says_how_many(
    monkeypatch, demo_app_url
):
    # At national scale the page lists the first 100; here, the first one of two.
    monkeypatch.setattr("tracker.ui.reads.CONTRIBUTIONS_BETWEEN_SHOWN", 1)
    app, _, _ = note_on_the_story(monkeypatch, demo_app_url)
    assert not app.exception
    shown = texts(app)
    assert "2 contributions validées entre le 1er juin 2024 et le 31 décembre 2025" in shown
    assert "Les 1 premières contributions validées sur 2" in shown
    table = next(frame.value for frame in app.dataframe if "Validée le" in frame.value.columns)
    assert table["Contribution"].tolist() == [story.HOSTILE_TITLE]
