"""Briefings as specifications: the state at a date, the comparison, the alerts,
the review sessions. Real databases (SQLite and PostgreSQL) with the demo data."""

from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from tests import contribution_story as story
from tests.conftest import ROOT
from tracker.briefings import content
from tracker.briefings.comparison import alerts, compare
from tracker.briefings.content import build_briefing, load_briefing
from tracker.contributions import history as contribution_history
from tracker.contributions import queries as contribution_queries
from tracker.db import settings
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import SYSTEM, VISITOR, Actor
from tracker.domain.vocabulary import ADOPTION_DATE, AlertKind, Role, Status
from tracker.errors import Conflict, PermissionDenied, ValidationError
from tracker.followup import aggregates, queries
from tracker.followup.actions import update_followup
from tracker.followup.aggregates import ProposalFilter
from tracker.followup.dashboard import dashboard_at
from tracker.i18n import NARROW_NBSP, typography
from tracker.review_sessions.actions import hold_session, plan_session, record_review_session
from tracker.review_sessions.queries import last_session_before, review_sessions_frame

REVIEWER = Actor("Relectrice CNCD", Role.REVIEWER)
TODAY = date(2026, 1, 15)


def frames(engine):
    with transaction(engine) as session:
        return queries.proposals_frame(session), queries.history_frame(session)


def demo_assessments_until(day: date) -> dict[int, tuple[str, int | None]]:
    """What the demonstration file says each proposal's last assessment was by `day`."""
    latest: dict[int, tuple[str, str]] = {}
    with (ROOT / "data/demo/assessments.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if date.fromisoformat(row["assessed_on"]) <= day:
                number = int(row["number"])
                if number not in latest or row["assessed_on"] >= latest[number][0]:
                    latest[number] = (row["assessed_on"], row)
    return {
        n: (r["status"], int(r["progress"]) if r["progress"] else None)
        for n, (_, r) in latest.items()
    }


@pytest.mark.parametrize("day", [date(2019, 12, 31), date(2022, 10, 1)])
def test_state_at_a_past_date_is_what_history_says(demo_engine, day):
    proposals, history = frames(demo_engine)
    state = aggregates.state_at(proposals, history, day).set_index("number")
    expected = demo_assessments_until(day)
    assert len(state) == 20
    for number in state.index:
        status, progress = expected.get(number, (Status.NON_EVALUEE.value, None))
        assert state.at[number, "status"] == status, number
        got = state.at[number, "progress"]
        assert (None if pd.isna(got) else int(got)) == progress, number


def test_briefing_today_has_the_dashboard_figures_for_the_same_filter(demo_engine):
    proposals, _ = frames(demo_engine)
    today = date.today()
    for wanted in (
        ProposalFilter(),
        ProposalFilter(themes=("durable",)),
        ProposalFilter(statuses=("engagee", "en_suspens")),
    ):
        on_screen = aggregates.key_figures(aggregates.apply_filter(proposals, wanted, today), today)
        briefing = load_briefing(demo_engine, as_of=today, wanted=wanted)
        assert briefing.figures == on_screen


def test_comparison_shows_status_and_progress_changes_and_newly_stalled(demo_sqlite_url):
    proposals, history = frames(make_engine(demo_sqlite_url))
    comparison = compare(proposals, history, date(2022, 1, 1), date(2023, 1, 1))
    expected_before = demo_assessments_until(date(2022, 1, 1))
    expected_after = demo_assessments_until(date(2023, 1, 1))
    moved = {
        n
        for n in expected_after
        if expected_after[n] != expected_before.get(n, (Status.NON_EVALUEE.value, None))
    }
    assert set(comparison.changed["number"]) == moved
    # Proposal 1 was halted on 30 September 2022 in the demonstration data.
    assert 1 in comparison.newly_stalled
    row = comparison.rows.set_index("number").loc[1]
    assert (row["status_before"], row["status_after"]) == ("engagee", "en_suspens")
    assert comparison.figures_after == aggregates.key_figures(comparison.after, date(2023, 1, 1))


def test_proposals_not_assessed_between_the_two_dates_are_listed():
    assessed_on = {1: date(2020, 5, 12), 2: date(2021, 3, 1), 3: None}
    proposals = pd.DataFrame(
        {
            "number": [1, 2, 3],
            "title_fr": ["a", "b", "c"],
            "title_en": ["a", "b", "c"],
            "primary_theme": ["durable"] * 3,
        }
    )
    rows = []
    for number, day in assessed_on.items():
        rows.append((number, pd.Timestamp("2018-07-05T12:00Z"), "status", None, "non_evaluee"))
        if day:
            at = pd.Timestamp(day.isoformat() + "T12:00Z")
            rows += [
                (number, at, "status", "non_evaluee", "engagee"),
                (number, at, "progress", None, "10"),
                (number, at, "last_assessed_on", None, day.isoformat()),
            ]
    history = pd.DataFrame(
        rows, columns=["number", "changed_at", "field", "old_value", "new_value"]
    )
    comparison = compare(proposals, history, date(2021, 1, 1), date(2021, 6, 1))
    assert comparison.not_assessed_since == [1, 3]


def test_alerts_count_as_the_key_figures_and_name_regressions_and_passed_targets(demo_engine):
    proposals, history = frames(demo_engine)
    state = aggregates.state_at(proposals, history, TODAY)
    found = alerts(state, history, TODAY)
    figures = aggregates.key_figures(state, TODAY)
    by_kind = {k: [a for a in found if a.kind is k] for k in AlertKind}
    assert len(by_kind[AlertKind.STALLED]) == figures.stalled
    assert len(by_kind[AlertKind.STALE]) == figures.stale
    for alert in by_kind[AlertKind.OVERDUE]:
        row = state.set_index("number").loc[alert.number]
        assert row["target_date"] < TODAY
        assert row["status"] not in ("realisee", "abandonnee")
    for alert in by_kind[AlertKind.REGRESSING]:
        assert alert.after < alert.before


def test_a_progress_going_down_raises_an_alert_that_going_up_clears(engine):
    from tracker.operations.seed import seed_catalogue

    with transaction(engine) as session:
        seed_catalogue(session)
        at = pd.Timestamp("2024-01-10T12:00Z").to_pydatetime()
        update_followup(session, SYSTEM, 5, {"status": "engagee", "progress": 40}, at=at)
        at = pd.Timestamp("2024-06-10T12:00Z").to_pydatetime()
        update_followup(session, SYSTEM, 5, {"progress": 30}, at=at)
    proposals, history = frames(engine)
    down = alerts(
        aggregates.state_at(proposals, history, date(2024, 7, 1)), history, date(2024, 7, 1)
    )
    assert [(a.number, a.before, a.after) for a in down if a.kind is AlertKind.REGRESSING] == [
        (5, 40, 30)
    ]
    before = alerts(
        aggregates.state_at(proposals, history, date(2024, 2, 1)), history, date(2024, 2, 1)
    )
    assert not [a for a in before if a.kind is AlertKind.REGRESSING]


def test_a_reviewer_records_a_session_and_it_becomes_the_default_comparison(engine):
    with transaction(engine) as session:
        revision = settings.revision(session)
        record_review_session(session, REVIEWER, date(2024, 3, 14), "Groupe de travail, 5e séance")
        record_review_session(session, REVIEWER, date(2025, 2, 6), "6e séance", today=TODAY)
    with transaction(engine) as session:
        sessions = review_sessions_frame(session)
        assert settings.revision(session) > revision
    assert list(sessions["held_on"]) == [date(2024, 3, 14), date(2025, 2, 6)]
    assert "recorded_by" not in sessions  # in the audit log, not in what pages show
    # "Since the last session": the last one held on or before the date shown.
    assert last_session_before(sessions, date(2025, 2, 5)) == date(2024, 3, 14)
    assert last_session_before(sessions, date(2025, 2, 6)) == date(2025, 2, 6)
    assert last_session_before(sessions, TODAY) == date(2025, 2, 6)
    assert last_session_before(sessions, date(2020, 1, 1)) is None


def test_a_planned_session_is_not_the_last_session_until_it_is_held(engine):
    with transaction(engine) as session:
        record_review_session(session, REVIEWER, date(2024, 3, 14), "5e séance", today=TODAY)
        planned = plan_session(session, REVIEWER, date(2025, 2, 6), "6e séance")
    with transaction(engine) as session:
        sessions = review_sessions_frame(session)
    assert last_session_before(sessions, date(2025, 3, 1)) == date(2024, 3, 14)
    with transaction(engine) as session:
        hold_session(session, REVIEWER, planned.id, today=TODAY)
    with transaction(engine) as session:
        sessions = review_sessions_frame(session)
    assert last_session_before(sessions, date(2025, 3, 1)) == date(2025, 2, 6)


def test_visitors_cannot_record_a_session_and_bad_sessions_are_refused(engine):
    with transaction(engine) as session:
        with pytest.raises(PermissionDenied):
            record_review_session(session, VISITOR, date(2024, 3, 14), "x")
        for day, label in (
            (date(2024, 3, 14), "  "),
            (date(2017, 1, 1), "avant"),
            (date(2030, 1, 1), "futur"),
            (date(2024, 3, 14), "x" * 201),
        ):
            with pytest.raises(ValidationError):
                record_review_session(session, REVIEWER, day, label, today=TODAY)
        record_review_session(session, REVIEWER, date(2024, 3, 14), "5e séance", today=TODAY)
        with pytest.raises(Conflict):
            record_review_session(session, REVIEWER, date(2024, 3, 14), "encore", today=TODAY)


def test_since_defaults_to_the_last_session_then_to_the_adoption(demo_sqlite_url):
    db = make_engine(demo_sqlite_url)
    assert load_briefing(db, as_of=TODAY).since == ADOPTION_DATE
    with transaction(db) as session:
        record_review_session(session, REVIEWER, date(2024, 3, 14), "5e séance", today=TODAY)
    briefing = load_briefing(db, as_of=TODAY)
    assert (briefing.since, briefing.session_label) == (date(2024, 3, 14), "5e séance")
    proposals, history = frames(db)
    with pytest.raises(ValidationError):
        build_briefing(
            proposals,
            history,
            {},
            pd.DataFrame(columns=["held_on", "label"]),
            is_demo=True,
            as_of=date(2020, 1, 1),
            since=date(2021, 1, 1),
        )


@pytest.mark.parametrize(
    "wanted",
    [ProposalFilter(), ProposalFilter(themes=("durable",)), ProposalFilter(statuses=("engagee",))],
    ids=["all", "durable", "engagee"],
)
def test_contributions_validated_between_the_two_dates_are_those_the_database_holds(db, wanted):
    story.add_story(db)
    versions = contribution_history.versions_frame(db)
    proposals, history = queries.proposals_frame(db), queries.history_frame(db)
    comparison = compare(
        proposals, history, story.SINCE, story.AS_OF, wanted, contributions=versions
    )
    numbers = set(comparison.after["number"])
    expected = story.expected_between(
        story.versions_in_database(db), story.SINCE, story.AS_OF, numbers
    )
    found = comparison.contributions
    assert dict(zip(found["id"], zip(found["title"], found["new"], strict=True), strict=True)) == (
        expected
    )
    assert set(found["proposal"]) <= numbers


def test_the_window_counts_from_the_end_of_since_to_the_end_of_as_of_and_tells_new_from_updated(
    db,
):
    ids = story.add_story(db)
    versions = contribution_history.versions_frame(db)
    window = contribution_history.validated_between(versions, story.SINCE, story.AS_OF)
    # 23:30 on the day compared with is before; 23:59 on the day described is in.
    assert window["id"].tolist() == [ids["lille_4"], ids["lyon_12"]]
    assert window["title"].tolist() == [story.HOSTILE_TITLE, "Maison du numérique"]
    assert window["new"].tolist() == [True, True]
    later = contribution_history.validated_between(versions, date(2024, 12, 31), story.AS_OF)
    row = later.set_index("id").loc[ids["lille_4"]]
    assert (row["revision"], bool(row["new"])) == (2, False)


@pytest.mark.parametrize(
    "day",
    [date(2024, 1, 31), date(2024, 7, 10), date(2025, 2, 28), story.AS_OF, date(2026, 1, 5)],
)
def test_contributions_at_a_past_date_are_the_versions_validated_by_then(db, day):
    ids = story.add_story(db)
    versions = contribution_history.versions_frame(db)
    shown = contribution_history.validated_by(versions, day)
    expected = story.expected_at(story.versions_in_database(db), day)
    assert dict(zip(shown["id"], shown["title"], strict=True)) == expected
    assert ids["lyon_13"] not in set(shown["id"])  # submitted, never validated
    assert list(shown.columns) == list(contribution_queries.public_frame(db).columns)


def test_contributions_today_are_what_the_public_sees(db):
    story.add_story(db)
    versions = contribution_history.versions_frame(db)
    now = contribution_history.validated_by(versions, date(2099, 1, 1))
    public = contribution_queries.public_frame(db)
    assert now[["id", "title", "proposal"]].equals(public[["id", "title", "proposal"]])


@pytest.mark.parametrize(
    ("since", "as_of"),
    [
        (story.SINCE, story.AS_OF),
        (date(2024, 12, 31), story.AS_OF),
        (ADOPTION_DATE, date(2099, 1, 1)),
        (date(2025, 3, 1), date(2025, 3, 1)),
    ],
    ids=["story", "second-wording", "everything", "empty"],
)
@pytest.mark.parametrize("numbers", [list(range(1, 21)), [4, 12], [9]], ids=["all", "4-12", "9"])
def test_the_database_selects_the_contributions_validated_between_two_dates_as_history_does(
    db, since, as_of, numbers
):
    story.add_story(db)
    every = contribution_history.validated_between(
        contribution_history.versions_frame(db), since, as_of, numbers
    )
    selected = contribution_history.window_in_database(db, since, as_of, numbers)
    assert (selected.total, selected.new) == (len(every), int(every["new"].sum()))
    first = contribution_history.window_in_database(db, since, as_of, numbers, limit=1)
    assert (first.total, first.new) == (selected.total, selected.new)
    if every.empty:
        assert selected.rows.empty and first.rows.empty
        return
    pd.testing.assert_frame_equal(selected.rows, every)
    pd.testing.assert_frame_equal(first.rows, every.head(1))


@pytest.mark.parametrize(
    "day",
    [date(2024, 1, 31), date(2024, 7, 10), date(2025, 2, 28), story.AS_OF, date(2026, 1, 5)],
)
def test_the_database_counts_and_lists_the_contributions_of_a_past_day_as_history_does(db, day):
    story.add_story(db)
    every = contribution_history.validated_by(contribution_history.versions_frame(db), day)
    public = contribution_queries.public_frame(db, until=day)
    assert list(public.columns) == list(every.columns)
    if not every.empty:  # (an empty frame's dtypes say nothing)
        pd.testing.assert_frame_equal(public, every)
    assert public.empty == every.empty
    counted = contribution_queries.public_counts(db, until=day)
    assert counted.groupby("proposal")["count"].sum().to_dict() == (
        every.groupby("proposal").size().to_dict()
    )
    for number in range(1, 21):
        listed = every[every["proposal"] == number]
        assert contribution_queries.public_total(db, number, until=day) == len(listed)
        first = contribution_queries.public_frame(db, number=number, limit=1, until=day)
        assert first["id"].tolist() == listed["id"].head(1).tolist()


def test_a_briefing_that_lists_the_first_contributions_gives_them_all_to_its_documents(db):
    story.add_story(db)
    proposals, history = queries.proposals_frame(db), queries.history_frame(db)
    sessions = review_sessions_frame(db)

    def first_one(since, as_of, numbers):
        return contribution_history.window_in_database(db, since, as_of, numbers, limit=1)

    def briefing(contributions):
        return build_briefing(
            proposals,
            history,
            {},
            sessions,
            is_demo=True,
            as_of=story.AS_OF,
            since=story.SINCE,
            contributions=contributions,
        )

    on_page = briefing(first_one)
    whole = briefing(contribution_history.versions_frame(db))
    assert len(on_page.comparison.contributions) == 1
    assert content.contributions_summary(on_page) == content.contributions_summary(whole)
    assert content.contributions_total(on_page) == 2
    documents = content.with_every_contribution(db, on_page)
    pd.testing.assert_frame_equal(
        documents.comparison.contributions, whole.comparison.contributions
    )
    assert content.contributions_table(documents).equals(content.contributions_table(whole))
    assert content.contribution_lines(documents) == content.contribution_lines(whole)


def test_briefing_for_a_past_date_has_the_figures_of_the_dashboard_at_that_date(demo_engine):
    proposals, history = frames(demo_engine)
    day = date(2023, 6, 30)
    state = aggregates.state_at(proposals, history, day)
    on_dashboard = dashboard_at(proposals, history, {}, day, TODAY, "fr").figures
    assert load_briefing(demo_engine, as_of=day).figures == on_dashboard
    for wanted in (ProposalFilter(themes=("solidaire",)), ProposalFilter(owners=("mel",))):
        on_table = aggregates.key_figures(aggregates.apply_filter(state, wanted, day), day)
        assert load_briefing(demo_engine, as_of=day, wanted=wanted).figures == on_table


def test_french_typography_puts_narrow_no_break_spaces_where_they_belong():
    text = typography("Alerte : « French Cité » ; vraiment ? Oui !", "fr")
    assert text == (
        f"Alerte{NARROW_NBSP}: «{NARROW_NBSP}French Cité{NARROW_NBSP}»{NARROW_NBSP}; "
        f"vraiment{NARROW_NBSP}? Oui{NARROW_NBSP}!"
    )
    assert typography("Alert: ok", "en") == "Alert: ok"
    assert typography("https://example.org", "fr") == "https://example.org"


def test_consistency_alerts_name_what_contradicts_itself(engine):
    """Progress changed with no new assessment date; an open decision on a
    completed proposal; a validated contribution further along than its
    proposal. Each alert goes away when the data agrees with itself."""
    from tracker.operations.seed import seed_catalogue
    from tracker.review_sessions.actions import record_decision
    from tracker.review_sessions.queries import decisions_frame

    jan = pd.Timestamp("2024-01-10T12:00Z").to_pydatetime()
    june = pd.Timestamp("2024-06-10T12:00Z").to_pydatetime()
    with transaction(engine) as session:
        seed_catalogue(session)
        fields = {"status": "engagee", "progress": 40, "last_assessed_on": date(2024, 1, 10)}
        update_followup(session, SYSTEM, 5, fields, at=jan)
        # The progress changes in June, the assessment date stays January's.
        fields = {"progress": 50, "last_assessed_on": date(2024, 1, 10)}
        update_followup(session, SYSTEM, 5, fields, at=june)
        fields = {"status": "engagee", "progress": 30, "last_assessed_on": date(2024, 6, 10)}
        update_followup(session, SYSTEM, 6, fields, at=june)
        fields = {"status": "realisee", "progress": 100, "last_assessed_on": date(2024, 6, 10)}
        update_followup(session, SYSTEM, 7, fields, at=june)
        held = record_review_session(session, REVIEWER, date(2024, 6, 12), "Séance de juin")
        record_decision(session, REVIEWER, held.id, text_fr="Faire le point", numbers=[6, 7])
    proposals, history = frames(engine)
    with transaction(engine) as session:
        decisions = decisions_frame(session)
    day = date(2024, 7, 1)
    state = aggregates.state_at(proposals, history, day)
    reported = {6: frozenset({"realisee"}), 5: frozenset({"non_engagee"}), 7: frozenset()}
    found = alerts(state, history, day, decisions, reported)

    def kind(k: AlertKind) -> list[tuple[int, object]]:
        return [(a.number, a.day if a.status is None else a.status) for a in found if a.kind is k]

    assert kind(AlertKind.PROGRESS_UNASSESSED) == [(5, date(2024, 6, 10))]
    assert kind(AlertKind.DECISION_ON_DONE) == [(7, date(2024, 6, 12))]
    assert kind(AlertKind.CONTRIBUTION_AHEAD) == [(6, Status.REALISEE)]

    # Before the decision was taken, and with contributions that lag behind: none.
    quiet = alerts(
        aggregates.state_at(proposals, history, date(2024, 6, 11)),
        history,
        date(2024, 6, 11),
        decisions,
        {6: frozenset({"engagee", "non_engagee"})},
    )
    assert not [a for a in quiet if a.kind is AlertKind.DECISION_ON_DONE]
    assert not [a for a in quiet if a.kind is AlertKind.CONTRIBUTION_AHEAD]
    line = content.alert_group_line(
        AlertKind.CONTRIBUTION_AHEAD,
        [a for a in found if a.kind is AlertKind.CONTRIBUTION_AHEAD],
        "fr",
    )
    assert "n° 6" in line and "Réalisée" in line


@pytest.mark.parametrize("day", [date(2024, 1, 1), date(2026, 6, 30), TODAY])
def test_the_statuses_contributions_report_are_the_same_read_by_the_database(demo_engine, day):
    with transaction(demo_engine) as session:
        by_database = contribution_history.reported_statuses_by(session, day)
        versions = contribution_history.versions_frame(session)
    assert by_database == contribution_history.reported_statuses(
        contribution_history.validated_by(versions, day)
    )
