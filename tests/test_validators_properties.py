"""Every validator, fed whatever hypothesis can think of: it either returns a
value that keeps the rules, or raises a named error — never anything else."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.catalogue.rules import CATALOGUE_FIELDS, clean_proposal_row
from tracker.db.engine import make_engine, upgrade
from tracker.db.models import ReviewSession
from tracker.domain.permissions import Actor
from tracker.domain.rules import normalise_progress
from tracker.domain.text import plain_line, web_address
from tracker.domain.vocabulary import ADOPTION_DATE, Role, Status, Theme, WordingStatus
from tracker.errors import Conflict, TrackerError, ValidationError
from tracker.followup.detail import parse_number
from tracker.followup.table import MAX_QUERY, parse_filters
from tracker.i18n import describe, literal
from tracker.review_sessions.actions import MAX_LABEL, record_review_session

DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Text as people (and attackers) type it: any character, plus the usual suspects.
nasty = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "![x](https://evil.example/x.png)",
        "\x00",
        "\u202e",
        "'; DROP TABLE proposals; --",
        '=HYPERLINK("http://x")',
        "²",
        "٣",
        "--5",
        " 7 ",
        "1_000",
    ]
)
any_text = st.one_of(st.text(), nasty, st.text(alphabet=string.digits + " -+._", max_size=8))
any_value = st.one_of(
    any_text,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)


def is_plain(text: str) -> bool:
    import unicodedata

    return not any(unicodedata.category(c) in DROPPED for c in text)


# normalise_progress -------------------------------------------------------------


@given(status=st.sampled_from(list(Status)), progress=any_value)
@example(status=Status.ENGAGEE, progress="--5")
@example(status=Status.ENGAGEE, progress="²")
def test_normalise_progress_keeps_the_rules_or_names_the_error(status, progress):
    try:
        value = normalise_progress(status, progress)
    except ValidationError:
        return
    if status is Status.NON_EVALUEE:
        assert value is None
    elif status is Status.NON_ENGAGEE:
        assert value == 0
    elif status is Status.REALISEE:
        assert value == 100
    else:
        assert isinstance(value, int) and 0 <= value <= 100
    assert normalise_progress(status, value) == value  # idempotent


# parse_number -----------------------------------------------------------------


@given(raw=st.one_of(any_text, st.none(), st.integers()))
@example(raw="²")
@example(raw="12\u202e")
def test_parse_number_returns_a_small_number_or_a_validation_error(raw):
    try:
        number = parse_number(raw)
    except ValidationError as error:
        for lang in ("fr", "en"):
            message = describe(error, lang, markdown=True)
            assert message and is_plain(message)
        return
    assert isinstance(number, int) and 0 <= number < 1_000_000


# parse_filters ----------------------------------------------------------------

params = st.dictionaries(
    st.sampled_from(["theme", "status", "owner", "q", "stale", "other"]),
    st.lists(any_text, max_size=4),
    max_size=6,
)


@given(raw=params, lang=st.sampled_from(["fr", "en"]))
def test_parse_filters_keeps_only_known_codes_and_quotes_the_rest_literally(raw, lang):
    parsed = parse_filters(raw, ["mel", "lyon"], lang)
    assert set(parsed.filter.themes) <= {t.value for t in Theme}
    assert set(parsed.filter.statuses) <= {s.value for s in Status}
    assert set(parsed.filter.owners) <= {"mel", "lyon"}
    assert len(parsed.filter.query) <= MAX_QUERY and is_plain(parsed.filter.query)
    for warning in parsed.warnings:
        assert is_plain(warning)
        # the value sits inside a code span: Markdown shows it as typed
        assert "`" in warning


# catalogue rows ---------------------------------------------------------------

cells = st.fixed_dictionaries(
    {
        "number": st.one_of(any_text, st.integers(-3, 30).map(str), st.none()),
        "title_fr": any_text,
        "title_en": any_text,
        "summary_fr": any_text,
        "primary_theme": st.one_of(st.sampled_from([t.value for t in Theme]), any_text),
        "secondary_themes": st.one_of(
            st.lists(st.sampled_from([t.value for t in Theme])).map("|".join), any_text
        ),
        "wording_status": st.one_of(st.sampled_from([w.value for w in WordingStatus]), any_text),
        "source_url": st.one_of(
            st.just(""),
            st.sampled_from(
                [
                    "https://example.org/a (b)",
                    "javascript:alert(1)",
                    "JAVASCRIPT://x",
                    "data:text/html,<b>",
                    "http://x/<img>",
                ]
            ),
            any_text,
        ),
    }
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(row=cells)
def test_a_catalogue_row_is_clean_or_rejected_with_its_line(row):
    try:
        cleaned = clean_proposal_row(row, line=7)
    except ValidationError as error:
        assert error.params["line"] == 7
        return
    assert isinstance(cleaned["number"], int) and cleaned["number"] >= 1
    assert Theme.parse(cleaned["primary_theme"]) is not None
    secondary = [c for c in str(cleaned["secondary_themes"]).split("|") if c]
    assert all(Theme.parse(c) for c in secondary)
    assert cleaned["primary_theme"] not in secondary
    assert WordingStatus(cleaned["wording_status"])
    assert cleaned["title_fr"] and cleaned["title_en"]
    for field in CATALOGUE_FIELDS:
        assert isinstance(cleaned[field], str)
        assert "\x00" not in cleaned[field]
    source = str(cleaned["source_url"])
    assert source == "" or source.lower().startswith(("http://", "https://"))


@given(value=any_text)
def test_a_web_address_is_http_and_cannot_break_out_of_a_link(value):
    address = web_address(value)
    if address is not None:
        assert address.lower().startswith(("http://", "https://"))
        assert not any(c in address for c in ' ()<>"`\\{}|^') and is_plain(address)


@given(value=any_text)
def test_a_quoted_value_is_one_code_span(value):
    quoted = literal(value)
    fence = quoted[: len(quoted) - len(quoted.lstrip("`"))]
    assert quoted.startswith(fence) and quoted.endswith(fence)
    inner = quoted[len(fence) : -len(fence)]
    assert fence not in inner  # nothing inside can close the span early
    assert len(plain_line(value)) <= 80 or "…" in inner


# review sessions --------------------------------------------------------------

REVIEWER = Actor("Relecture CNCD", Role.REVIEWER)
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def review_engine(tmp_path_factory):
    db = make_engine(f"sqlite:///{tmp_path_factory.mktemp('props') / 'sessions.db'}")
    upgrade(db)
    yield db
    db.dispose()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    label=st.one_of(any_text, st.text(min_size=190, max_size=260)),
    offset=st.integers(min_value=-400, max_value=(TODAY - ADOPTION_DATE).days + 400),
)
def test_a_review_session_is_recorded_clean_or_refused_with_nothing_saved(
    review_engine, label, offset
):
    held_on = ADOPTION_DATE + timedelta(days=offset)
    with Session(review_engine) as session:
        before = session.scalar(select(func.count()).select_from(ReviewSession))
        try:
            row = record_review_session(session, REVIEWER, held_on, label, today=TODAY)
        except (ValidationError, Conflict) as error:
            assert isinstance(error, TrackerError)
            session.rollback()
            assert session.scalar(select(func.count()).select_from(ReviewSession)) == before
            return
        assert ADOPTION_DATE <= row.held_on <= TODAY
        assert 0 < len(row.label) <= MAX_LABEL and is_plain(row.label)
        assert row.label == row.label.strip()
        session.rollback()  # each example starts from the same empty table


# A contribution's fields (forms, imported rows, the command line) ----------------

contribution_fields = st.fixed_dictionaries(
    {
        "title": st.one_of(any_text, st.text(min_size=190, max_size=220)),
        "description": any_text,
        "status": st.one_of(st.sampled_from([s.value for s in Status]), any_text),
        "progress": any_value,
        "start_date": st.one_of(st.dates(), any_text, st.none()),
        "end_date": st.one_of(st.dates(), any_text, st.none()),
        "partner_country": st.one_of(st.sampled_from(["FR", "BEN", "fr", "XX"]), any_text),
        "partner_authority": any_text,
        "evidence_links": st.one_of(
            st.sampled_from(["https://example.org", "javascript:alert(1)", "http://x y"]),
            any_text,
        ),
        "budget_eur": any_value,
        "contact": any_text,
    }
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(fields=contribution_fields)
def test_a_contributions_fields_are_clean_or_refused_naming_the_field(fields):
    from tracker.contributions import rules

    try:
        cleaned = rules.clean_fields(fields)
    except ValidationError as error:
        assert error.params["field"] in rules.EDITABLE_FIELDS
        for lang in ("fr", "en"):
            assert is_plain(describe(error, lang, markdown=True))
        return
    limits = {
        "title": rules.MAX_TITLE,
        "description": rules.MAX_DESCRIPTION,
        "partner_authority": rules.MAX_SHORT_TEXT,
        "contact": rules.MAX_CONTACT,
    }
    for field, limit in limits.items():
        text = cleaned[field]
        assert len(text) <= limit and text == text.strip()
        # no control or format character; new lines only in the description
        assert (
            is_plain(text.replace("\n", "").replace("\t", ""))
            if field == "description"
            else (is_plain(text) and "\n" not in text)
        )
    assert cleaned["title"]
    assert Status(cleaned["status"]).is_assessed
    links = [link for link in cleaned["evidence_links"].split("\n") if link]
    assert len(links) <= rules.MAX_LINKS
    assert all(link.startswith(("http://", "https://")) for link in links)
    assert cleaned["budget_eur"] is None or 0 <= cleaned["budget_eur"] <= rules.MAX_BUDGET
