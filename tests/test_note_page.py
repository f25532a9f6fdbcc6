"""The /note page as a person opens it: comparison, alerts, downloads, sessions."""

from __future__ import annotations

from datetime import date

from tests.apptest import open_page, texts
from tracker.db.engine import make_engine, transaction
from tracker.domain.vocabulary import Role
from tracker.services.actors import Actor
from tracker.services.review_sessions import review_sessions_frame

REVIEWER = Actor("Relectrice CNCD", Role.REVIEWER)


def test_note_page_shows_comparison_alerts_and_four_downloads(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "note")
    assert not app.exception
    shown = texts(app)
    assert "Note de synthèse et séances de suivi" in shown
    assert "Principaux changements depuis le 5 juillet 2018" in shown
    assert "Alertes" in shown and "Échéance dépassée" in shown
    assert "Seul le secrétariat de la CNCD" in shown  # a visitor gets no form
    assert len(app.get("download_button")) == 4
    assert not app.get("form")


def test_a_reviewer_records_a_session_from_the_page(monkeypatch, demo_app_url):
    monkeypatch.setattr("tracker.ui.context.current_actor", lambda: REVIEWER)
    app = open_page(monkeypatch, demo_app_url, "note", lang="en")
    assert not app.exception
    app.text_input[0].input("CNCD working group, 5th session")
    app.date_input[-1].set_value(date(2024, 6, 1))
    app.button[0].click().run()
    assert not app.exception
    with transaction(make_engine(demo_app_url)) as session:
        sessions = review_sessions_frame(session)
    assert sessions["label"].tolist() == ["CNCD working group, 5th session"]
    assert sessions["recorded_by"].tolist() == ["Relectrice CNCD"]
    assert "Main changes since 1 June 2024" in texts(app)
