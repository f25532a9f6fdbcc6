"""Hostile input through every way in that exists today: the URL parameters of
/proposition and /propositions, and the review-session form. For each case: a
clear message in the user's language, no traceback, nothing partly saved, and
what is quoted back shows as typed (never as a link, an image or a script).

The same cases run in a real browser in tests/e2e/test_hostile_urls.py.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.apptest import open_page, texts
from tests.hostile import CASES, IDS
from tracker.db.engine import make_engine
from tracker.db.models import ReviewSession
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import Role, Status, Theme
from tracker.errors import TrackerError, ValidationError
from tracker.followup import queries
from tracker.followup.aggregates import apply_filter
from tracker.followup.detail import parse_number
from tracker.followup.table import MAX_QUERY, parse_filters
from tracker.i18n import describe
from tracker.review_sessions.actions import record_review_session

CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.*?)(?<!`)\1(?!`)", re.DOTALL)
MARKDOWN_ACTIVE = set("<>[]!$`*_#|\\") | {"](", ":red", ":material", "javascript"}
OWNERS = ["mel", "lyon", "afd"]


def assert_shows_as_typed(message: str) -> None:
    """No control character anywhere; outside code spans, nothing Markdown or
    HTML would act on (the templates themselves hold none of it)."""
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in message), message
    outside = CODE_SPAN.sub("", message)
    assert not [m for m in MARKDOWN_ACTIVE if m in outside], message


@pytest.mark.parametrize(("name", "text"), CASES, ids=IDS)
def test_a_hostile_proposal_number_gets_a_clear_message(name, text):
    with pytest.raises(ValidationError) as caught:
        parse_number(text)
    expected = (
        {"fr": "Aucune proposition", "en": "No proposal is given"}
        if not text.strip()
        else {"fr": "n’est pas un numéro", "en": "is not a proposal number"}
    )
    for lang, words in expected.items():
        message = describe(caught.value, lang, markdown=True)
        assert words in message
        assert_shows_as_typed(message)


WARNINGS = {
    "theme": ({"fr": "Le thème", "en": "There is no theme"}, [t.value for t in Theme]),
    "status": ({"fr": "Le statut", "en": "There is no status"}, [s.value for s in Status]),
    "owner": ({"fr": "porteur", "en": "There is no owner"}, OWNERS),
}


@pytest.mark.parametrize("key", sorted(WARNINGS))
@pytest.mark.parametrize(("name", "text"), CASES, ids=IDS)
def test_a_hostile_filter_value_is_dropped_with_a_warning_quoting_it_literally(key, name, text):
    words, allowed = WARNINGS[key]
    for lang in ("fr", "en"):
        parsed = parse_filters({key: [text]}, OWNERS, lang)
        kept = getattr(parsed.filter, {"theme": "themes", "status": "statuses"}.get(key, "owners"))
        assert set(kept) <= set(allowed)
        for warning in parsed.warnings:
            assert words[lang] in warning
            assert_shows_as_typed(warning)


@pytest.fixture(scope="module")
def demo_proposals(seeded_sqlite_file):
    engine = make_engine(f"sqlite:///{seeded_sqlite_file}")
    with transaction(engine) as session:
        frame = queries.proposals_frame(session)
    engine.dispose()
    return frame


@pytest.mark.parametrize(("name", "text"), CASES, ids=IDS)
def test_a_hostile_search_is_cleaned_and_finds_nothing_rather_than_failing(
    demo_proposals, name, text
):
    parsed = parse_filters({"q": [text]}, OWNERS, "fr")
    query = parsed.filter.query
    assert len(query) <= MAX_QUERY
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in query)
    shown = apply_filter(demo_proposals, parsed.filter, date(2026, 11, 26))
    assert len(shown) <= len(demo_proposals)


REVIEWER = Actor("Relecture CNCD", Role.REVIEWER)


@pytest.fixture(scope="module")
def sessions_engine(seeded_sqlite_file, tmp_path_factory):
    import shutil

    path = tmp_path_factory.mktemp("hostile") / "sessions.db"
    shutil.copy(seeded_sqlite_file, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("name", "text"), CASES, ids=IDS)
def test_a_hostile_session_label_is_stored_as_plain_text_or_refused_whole(
    sessions_engine, name, text
):
    with Session(sessions_engine) as session:
        before = session.scalar(select(func.count()).select_from(ReviewSession))
        try:
            row = record_review_session(
                session, REVIEWER, date(2025, 3, 4), text, today=date(2026, 11, 26)
            )
        except TrackerError as error:
            session.rollback()
            assert session.scalar(select(func.count()).select_from(ReviewSession)) == before
            for lang in ("fr", "en"):
                assert_shows_as_typed(describe(error, lang, markdown=True))
            return
        assert row.label and not any(unicodedata.category(c) in ("Cc", "Cf") for c in row.label)
        session.rollback()


# The pages themselves (AppTest runs the real script, without a browser) -------

PAGE_CASES = ["script", "md-image", "null-byte"]


@pytest.mark.parametrize("name", PAGE_CASES)
def test_the_pages_answer_hostile_parameters_with_a_message_and_no_traceback(
    monkeypatch, demo_sqlite_url, name
):
    text = dict(CASES)[name]
    app = open_page(monkeypatch, demo_sqlite_url, "proposition", n=text, lang="en")
    assert not app.exception
    assert "is not a proposal number" in texts(app)
    app = open_page(
        monkeypatch, demo_sqlite_url, "propositions", theme=text, status=text, q=text, lang="fr"
    )
    assert not app.exception
    shown = texts(app)
    assert "Le thème" in shown and "Le statut" in shown
    assert len(app.text_input[0].value) <= MAX_QUERY
