"""At national scale pages read a few rows chosen by the database, never the
whole history nor every contribution: and what they show is what the whole
would have given. (Speed is measured by `make bench`, never by a test.)"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tracker.briefings import comparison as briefing
from tracker.catalogue import queries as catalogue_queries
from tracker.contributions import queries as contribution_queries
from tracker.contributions import views as contribution_views
from tracker.db.unit_of_work import transaction
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.followup import aggregates, queries, table
from tracker.followup.dashboard import timeline_days
from tracker.followup.detail import proposal_view
from tracker.followup.rules import FOLLOWUP_FIELDS
from tracker.followup.views import organisation_names
from tracker.operations import synthetic

TODAY = date(2026, 11, 30)
DAYS = [date(2018, 7, 31), date(2020, 2, 29), date(2023, 6, 15), date(2026, 1, 1), TODAY]


@pytest.fixture
def big(demo_engine):
    """The demonstration data and a synthetic national-scale sample on top."""
    synthetic.generate(demo_engine, organisations=30, contributions=400, history=3000, seed=11)
    return demo_engine


def test_the_state_at_each_day_is_the_same_from_the_few_rows_read_as_from_the_whole_history(big):
    with transaction(big) as session:
        proposals = queries.proposals_frame(session)
        whole = queries.history_frame(session)
        few = queries.history_for_days(session, DAYS)
    assert len(few) < len(whole) / 3
    for day in DAYS:
        pd.testing.assert_frame_equal(
            aggregates.state_at(proposals, few, day), aggregates.state_at(proposals, whole, day)
        )
        state = aggregates.state_at(proposals, whole, day)
        assert briefing.alerts(state, few, day) == briefing.alerts(state, whole, day)


def test_the_progress_over_time_is_the_same_from_the_rows_of_its_days(big):
    days = timeline_days(TODAY)
    with transaction(big) as session:
        proposals = queries.proposals_frame(session)
        whole = queries.history_frame(session)
        few = queries.history_for_days(session, days)
    pd.testing.assert_frame_equal(
        aggregates.progress_over_time(proposals, few, days),
        aggregates.progress_over_time(proposals, whole, days),
    )


def test_a_briefing_compares_the_same_from_the_rows_of_its_two_days(big):
    since, as_of = date(2024, 3, 31), TODAY
    with transaction(big) as session:
        proposals = queries.proposals_frame(session)
        whole = queries.history_frame(session)
        few = queries.history_for_days(session, [since, as_of])
    one, other = (briefing.compare(proposals, history, since, as_of) for history in (few, whole))
    pd.testing.assert_frame_equal(one.rows, other.rows)
    assert one.figures_before == other.figures_before
    assert one.figures_after == other.figures_after


@pytest.mark.parametrize("number", [4, 11])
def test_a_proposal_page_shows_the_same_latest_entries_and_counts_them_all(big, number):
    with transaction(big) as session:
        proposals = queries.proposals_frame(session)
        whole = queries.history_frame(session)
        recent, total = queries.recent_timeline(session, number, 100)
    everything = proposal_view(proposals, whole, {}, number, "fr")
    latest = proposal_view(proposals, recent, {}, number, "fr", total)
    assert total == len(everything.timeline) > 100
    assert latest.timeline_total == total
    assert latest.timeline[:100] == everything.timeline[:100]


def test_a_short_timeline_is_read_whole(demo_engine):
    with transaction(demo_engine) as session:
        whole = queries.history_frame(session, 4)
        recent, total = queries.recent_timeline(session, 4, 100)
    own = whole[whole["field"].isin(FOLLOWUP_FIELDS) | (whole["origin"] != "catalogue")]
    assert total < 100
    pd.testing.assert_frame_equal(recent, own.reset_index(drop=True))


def test_the_contribution_charts_are_the_same_from_counts_as_from_every_contribution(big):
    with transaction(big) as session:
        public = contribution_queries.public_frame(session)
        counts = contribution_queries.public_counts(session)
        numbers = list(queries.proposals_frame(session)["number"])
        assert contribution_queries.public_total(session) == len(public)
        assert contribution_queries.public_total(session, 4) == (public["proposal"] == 4).sum()
        first = contribution_queries.public_frame(session, number=4, limit=10)
    assert len(counts) < len(public)
    assert first["id"].tolist() == public[public["proposal"] == 4]["id"].head(10).tolist()
    for lang in ("fr", "en"):
        from_counts = contribution_views.contribution_charts(counts, numbers, lang)
        from_rows = contribution_views.contribution_charts(public, numbers, lang)
        for a, b in zip(from_counts, from_rows, strict=True):
            assert a.summary == b.summary
            pd.testing.assert_frame_equal(a.table, b.table)
            assert a.figure.to_json() == b.figure.to_json()


def test_the_adoption_day_alone_still_finds_every_proposal(demo_engine):
    with transaction(demo_engine) as session:
        proposals = queries.proposals_frame(session)
        few = queries.history_for_days(session, [ADOPTION_DATE])
        whole = queries.history_frame(session)
    pd.testing.assert_frame_equal(
        aggregates.state_at(proposals, few, ADOPTION_DATE),
        aggregates.state_at(proposals, whole, ADOPTION_DATE),
    )


def _by_definition(proposals, history, days):
    """Average progress and counts at each day from the state rebuilt that day."""
    frame = pd.DataFrame.from_records(
        [
            {
                "date": day,
                "average_progress": figures.average_progress,
                "assessed": figures.assessed,
                "done": figures.done,
                "counted": figures.counted_in_average,
            }
            for day in days
            for figures in [
                aggregates.key_figures(aggregates.state_at(proposals, history, day), day)
            ]
        ]
    )
    frame["average_progress"] = frame["average_progress"].astype(float)
    return frame


def test_the_progress_over_time_looked_up_once_equals_the_state_rebuilt_day_by_day(big):
    days = timeline_days(TODAY)
    with transaction(big) as session:
        proposals = queries.proposals_frame(session)
        whole = queries.history_frame(session)
    pd.testing.assert_frame_equal(
        aggregates.progress_over_time(proposals, whole, days),
        _by_definition(proposals, whole, days),
    )
    shuffled = whole.sample(frac=1, random_state=3)  # not in time order: day by day
    pd.testing.assert_frame_equal(
        aggregates.progress_over_time(proposals, shuffled, DAYS),
        _by_definition(proposals, shuffled, DAYS),
    )


def test_the_owner_filter_offers_the_organisations_that_carry_a_proposal_not_thousands(big):
    with transaction(big) as session:
        proposals = queries.proposals_frame(session)
        names = organisation_names(catalogue_queries.organisations_frame(session))
    offered = table.owner_choices(proposals, names)
    carrying = set(proposals["lead_owner"].dropna()) | {
        code for codes in proposals["co_owners"] for code in (codes or "").split("|") if code
    }
    assert set(offered) == carrying and len(names) >= len(offered) + 30
    assert [names[c].casefold() for c in offered] == sorted(names[c].casefold() for c in offered)
    assert "synth-000001" in table.owner_choices(proposals, names, ["synth-000001"])
