"""Who changed a proposal's follow-up, as the public sees it: a role and an
organisation (« Secrétariat de la CNCD »), never a person's name or address,
on the page, in the note's documents and in the API."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from tracker import api
from tracker.accounts import queries as account_queries
from tracker.accounts.actions import create_account
from tracker.briefings import content
from tracker.briefings.documents import FORMATS, render
from tracker.catalogue import queries as catalogue_queries
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import SYSTEM
from tracker.domain.vocabulary import Role
from tracker.followup import queries
from tracker.followup.actions import update_followup
from tracker.followup.detail import proposal_view
from tracker.followup.views import organisation_names
from tracker.review_sessions.queries import review_sessions_frame

ADDRESS = "jeanne.dupont@relecture.example"
PUBLIC = {"fr": "Secrétariat de la CNCD", "en": "CNCD secretariat"}
WHEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _unnamed_reviewer_changes(session) -> None:
    """A reviewer created without a name (the name is then the address) edits
    proposal 7."""
    create_account(
        session,
        SYSTEM,
        email=ADDRESS,
        role=Role.REVIEWER,
        password="un mot de passe long",
        display_name="Jeanne Dupont",
    )
    reviewer = account_queries.actor_for(account_queries.get_account(session, ADDRESS))
    update_followup(
        session, reviewer, 7, {"progress": 61, "status": "engagee"}, at=WHEN, comment_fr="Revu"
    )
    session.flush()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_public_timeline_names_the_secretariat_never_the_reviewer(db, lang):
    _unnamed_reviewer_changes(db)
    names = organisation_names(catalogue_queries.organisations_frame(db))
    view = proposal_view(queries.proposals_frame(db), queries.history_frame(db), names, 7, lang)
    latest = view.timeline[0]
    assert latest.author == PUBLIC[lang]
    assert not [e.author for e in view.timeline if "@" in e.author or "jeanne" in e.author]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_notes_documents_carry_no_reviewers_address(db, lang):
    _unnamed_reviewer_changes(db)
    briefing = content.build_briefing(
        queries.proposals_frame(db),
        queries.history_frame(db),
        organisation_names(catalogue_queries.organisations_frame(db)),
        review_sessions_frame(db),
        is_demo=True,
        as_of=WHEN.date(),
        since=datetime(2026, 1, 1).date(),
        lang=lang,
    )
    changes = content.history_table(briefing)
    assert set(changes[content.t("briefing.col_author", lang)]) <= set(PUBLIC.values()) | {
        content.t("recorded_by.system", lang)
    }
    assert PUBLIC[lang] in set(changes[content.t("briefing.col_author", lang)])
    workbook = load_workbook(io.BytesIO(render(briefing, "xlsx")))
    cells = [
        str(c) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert not [c for c in cells if ADDRESS in c or "jeanne" in c.lower()]
    for fmt in FORMATS:
        assert ADDRESS.encode() not in render(briefing, fmt)


def test_the_api_history_carries_no_reviewers_address(monkeypatch, demo_sqlite_url):
    engine = make_engine(demo_sqlite_url)
    with transaction(engine) as session:
        _unnamed_reviewer_changes(session)
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_sqlite_url)
    with TestClient(api.standalone()) as client:
        for path in ("/api/v1/history.csv", "/api/v1/history?proposal=7&per_page=500"):
            body = client.get(path).text
            assert "61" in body and ADDRESS not in body and "jeanne" not in body
