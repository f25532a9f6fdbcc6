"""/seances and /seance as people open them (AppTest): the secretariat plans a
session, sees its proposed agenda, holds it, records a decision and publishes
the minutes; a visitor sees only published minutes, never a planned session."""

from __future__ import annotations

from datetime import date

from tests.apptest import open_page, texts
from tests.test_pages_contributions import account_id
from tracker.db.engine import make_engine, reading
from tracker.domain.permissions import SYSTEM
from tracker.i18n import typography
from tracker.review_sessions import actions as review
from tracker.review_sessions.queries import decisions_frame, review_sessions_frame


def _sessions(url: str):
    with reading(make_engine(url)) as session:
        return review_sessions_frame(session), decisions_frame(session)


def test_the_secretariat_plans_a_session_from_the_sessions_page(monkeypatch, demo_app_url):
    reviewer = account_id(demo_app_url, "secretariat@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "seances", signed_in=reviewer)
    assert not app.exception
    assert "Séances du groupe de travail" in texts(app)
    form = app.get("form")[0]
    assert form is not None
    app.date_input[0].set_value(date(2027, 1, 15))
    app.text_input[0].input("7e séance du groupe de travail")
    app.selectbox[0].set_value("video")
    app.button[0].click().run()
    assert not app.exception
    sessions, _ = _sessions(demo_app_url)
    assert sessions[["label", "state", "format"]].values.tolist() == [
        ["7e séance du groupe de travail", "planned", "video"]
    ]
    assert "Séance n° 1 planifiée." in texts(app)


def test_a_planned_session_shows_its_proposed_agenda_and_is_held_from_its_page(
    monkeypatch, demo_app_url
):
    engine = make_engine(demo_app_url)
    row = review.plan_session(engine, SYSTEM, date.today(), "Séance du jour")
    reviewer = account_id(demo_app_url, "secretariat@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "seance", signed_in=reviewer, id=str(row.id))
    assert not app.exception
    shown = texts(app)
    assert "Ordre du jour" in shown
    # The agenda the data propose, each item with why it is there.
    agenda = app.dataframe[0].value
    assert len(agenda) and agenda["why"].str.len().gt(0).all()
    assert "en suspens" in agenda["why"].str.cat(sep=" ")
    hold = next(b for b in app.button if b.label == "Marquer la séance comme tenue")
    hold.click().run()
    assert not app.exception
    sessions, _ = _sessions(demo_app_url)
    assert sessions["state"].tolist() == ["held"]
    shown = texts(app)
    assert "Mises à jour de la séance" in shown  # the grid, now that it is held
    assert "Publier le compte rendu" in shown


def test_a_decision_then_the_minutes_published_are_public(monkeypatch, demo_app_url):
    engine = make_engine(demo_app_url)
    row = review.record_review_session(engine, SYSTEM, date(2026, 11, 20), "Séance de novembre")
    reviewer = account_id(demo_app_url, "secretariat@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "seance", signed_in=reviewer, id=str(row.id))
    assert not app.exception
    areas = [a for a in app.text_area if a.label == "Texte de la décision (français)"]
    areas[0].input("Relancer les métropoles partenaires")
    record = next(b for b in app.button if b.label == "Enregistrer la décision")
    record.click().run()
    assert not app.exception
    _, decisions = _sessions(demo_app_url)
    assert decisions["text_fr"].tolist() == ["Relancer les métropoles partenaires"]
    attendance = next(a for a in app.text_area if a.label == "Présents")
    attendance.input("CNCD, MEAE, France urbaine")
    publish = next(b for b in app.button if b.label == "Publier le compte rendu")
    publish.click().run()
    assert not app.exception
    sessions, _ = _sessions(demo_app_url)
    assert sessions["state"].tolist() == ["published"]

    visitor = open_page(monkeypatch, demo_app_url, "seances")
    assert not visitor.exception
    assert "Séance de novembre" in visitor.dataframe[0].value.to_csv()
    assert "Relancer les métropoles partenaires" in visitor.dataframe[1].value.to_csv()
    page = open_page(monkeypatch, demo_app_url, "seance", id=str(row.id))
    assert not page.exception
    shown = texts(page)
    assert "CNCD, MEAE, France urbaine" in shown
    assert "Enregistrer la décision" not in [b.label for b in page.button]


def test_a_visitor_never_sees_a_session_whose_minutes_are_not_published(monkeypatch, demo_app_url):
    engine = make_engine(demo_app_url)
    planned = review.plan_session(engine, SYSTEM, date(2027, 1, 15), "Séance confidentielle")
    app = open_page(monkeypatch, demo_app_url, "seances")
    assert not app.exception
    assert "Séance confidentielle" not in texts(app)
    assert not app.dataframe or "Séance confidentielle" not in app.dataframe[0].value.to_csv()
    page = open_page(monkeypatch, demo_app_url, "seance", id=str(planned.id))
    assert not page.exception
    assert "Aucune séance" in texts(page)
    assert "Séance confidentielle" not in texts(page)


def test_published_decisions_show_on_the_dashboard_and_the_proposal_page(monkeypatch, demo_app_url):
    """A decision of published minutes is on the dashboard (open, overdue)
    and on each proposal it concerns; one of unpublished minutes is not."""
    from datetime import timedelta

    engine = make_engine(demo_app_url)
    held = review.record_review_session(engine, SYSTEM, date(2025, 3, 1), "Séance de mars")
    late = date.today() - timedelta(days=3)
    review.record_decision(
        engine, SYSTEM, held.id, text_fr="Relancer le label", numbers=[2], due_on=late
    )
    review.record_decision(engine, SYSTEM, held.id, text_fr="Suivre la fondation", numbers=[1])

    def decision_links(app) -> list[str]:
        labels = [str(e.proto.label) for e in app.get("page_link")]
        return [label for label in labels if label.startswith("Décisions")]

    assert decision_links(open_page(monkeypatch, demo_app_url)) == []
    proposal = open_page(monkeypatch, demo_app_url, "proposition", n="2")
    assert "Décisions du groupe de travail" not in texts(proposal)

    review.publish_minutes(engine, SYSTEM, held.id, attendance="CNCD")
    dashboard = open_page(monkeypatch, demo_app_url)
    assert not dashboard.exception
    assert decision_links(dashboard) == [
        typography("Décisions du groupe de travail ouvertes : 2, dont 1 en retard", "fr")
    ]
    proposal = open_page(monkeypatch, demo_app_url, "proposition", n="2")
    assert not proposal.exception
    assert "Décisions du groupe de travail" in texts(proposal)
    shown = " ".join(frame.value.to_csv() for frame in proposal.dataframe)
    assert "Relancer le label" in shown and "Suivre la fondation" not in shown
