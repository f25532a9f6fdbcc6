"""The figures: dropped proposals left out, not-assessed counted apart, state at a date."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from tracker.followup import aggregates
from tracker.followup.aggregates import ProposalFilter, apply_filter, fold, key_figures
from tracker.followup.queries import PROPOSAL_COLUMNS

TODAY = date(2026, 11, 26)


def frame(*rows: dict) -> pd.DataFrame:
    base = {c: "" for c in PROPOSAL_COLUMNS}
    base.update(
        lead_owner=None,
        progress=None,
        target_date=None,
        last_assessed_on=None,
        version=1,
        secondary_themes="",
        co_owners="",
        primary_theme="durable",
    )
    records = [
        {**base, "number": i + 1, "title_fr": f"P{i + 1}", "title_en": f"P{i + 1}", **r}
        for i, r in enumerate(rows)
    ]
    out = pd.DataFrame.from_records(records, columns=PROPOSAL_COLUMNS)
    out["progress"] = out["progress"].astype("Int64")
    return out


def test_average_progress_leaves_out_dropped_and_not_assessed():
    data = frame(
        {"status": "engagee", "progress": 40, "primary_theme": "durable"},
        {"status": "realisee", "progress": 100, "primary_theme": "durable"},
        {"status": "abandonnee", "progress": 90, "primary_theme": "solidaire"},
        {"status": "non_evaluee", "progress": None, "primary_theme": "connectee"},
        {"status": "non_engagee", "progress": 0, "primary_theme": "connectee"},
    )
    figures = key_figures(data, TODAY)
    assert figures.average_progress == pytest.approx((40 + 100 + 0) / 3)
    assert figures.counted_in_average == 3
    assert figures.not_assessed == 1
    assert figures.assessed == 4
    assert figures.total == 5


def test_no_proposal_counted_gives_no_average_rather_than_zero():
    figures = key_figures(frame({"status": "non_evaluee", "primary_theme": "durable"}), TODAY)
    assert figures.average_progress is None


def test_stale_means_never_or_over_six_months_ago_and_ignores_dropped():
    data = frame(
        {"status": "engagee", "progress": 10, "last_assessed_on": date(2026, 10, 1)},
        {"status": "engagee", "progress": 10, "last_assessed_on": date(2026, 4, 1)},
        {"status": "non_evaluee"},
        {"status": "abandonnee", "progress": 5, "last_assessed_on": date(2020, 1, 1)},
        {"status": "realisee", "progress": 100, "last_assessed_on": date(2020, 1, 1)},
    )
    assert aggregates.is_stale(data, TODAY).tolist() == [False, True, True, False, False]


def test_search_ignores_accents_and_case():
    assert fold("Solidarité ÉCOLE") == "solidarite ecole"
    data = frame(
        {
            "title_fr": "Villes solidaires et inclusion numérique",
            "status": "engagee",
            "progress": 1,
        },
        {"title_fr": "Plateformes de données", "status": "engagee", "progress": 1},
    )
    shown = apply_filter(data, ProposalFilter(query="NUMERIQUE"), TODAY)
    assert shown["number"].tolist() == [1]


def test_filters_combine_theme_status_and_owner_including_co_owners():
    data = frame(
        {"primary_theme": "solidaire", "status": "engagee", "progress": 1, "lead_owner": "mel"},
        {
            "primary_theme": "solidaire",
            "status": "realisee",
            "progress": 100,
            "lead_owner": "afd",
            "co_owners": "cdc|mel",
        },
        {"primary_theme": "durable", "status": "engagee", "progress": 1, "lead_owner": "mel"},
    )
    wanted = ProposalFilter(themes=("solidaire",), owners=("mel",))
    assert apply_filter(data, wanted, TODAY)["number"].tolist() == [1, 2]
    wanted = ProposalFilter(themes=("solidaire",), statuses=("realisee",))
    assert apply_filter(data, wanted, TODAY)["number"].tolist() == [2]


def test_status_by_theme_lists_every_pair_even_when_zero():
    counts = aggregates.status_by_theme(
        frame({"primary_theme": "durable", "status": "engagee", "progress": 3})
    )
    assert len(counts) == 3 * 7
    assert counts["count"].sum() == 1


def history(*changes):
    out = pd.DataFrame.from_records(
        [
            {
                "number": n,
                "changed_at": pd.Timestamp(w, tz=UTC),
                "author": "a",
                "field": f,
                "old_value": None,
                "new_value": v,
                "comment_fr": "",
                "comment_en": "",
                "origin": "",
            }
            for n, w, f, v in changes
        ]
    )
    return out


def test_state_at_a_date_is_rebuilt_from_history():
    current = frame(
        {"status": "realisee", "progress": 100, "primary_theme": "durable"},
        {"status": "engagee", "progress": 50, "primary_theme": "durable"},
    )
    log = history(
        (1, datetime(2018, 7, 5), "status", "non_evaluee"),
        (2, datetime(2018, 7, 5), "status", "non_evaluee"),
        (1, datetime(2019, 3, 1), "status", "engagee"),
        (1, datetime(2019, 3, 1), "progress", "20"),
        (1, datetime(2021, 6, 1), "status", "realisee"),
        (1, datetime(2021, 6, 1), "progress", "100"),
        (2, datetime(2022, 1, 1), "status", "engagee"),
        (2, datetime(2022, 1, 1), "progress", "50"),
    )
    then = aggregates.state_at(current, log, date(2020, 1, 1)).set_index("number")
    assert then.loc[1, "status"] == "engagee" and then.loc[1, "progress"] == 20
    assert then.loc[2, "status"] == "non_evaluee" and pd.isna(then.loc[2, "progress"])
    before = aggregates.state_at(current, log, date(2018, 1, 1))
    assert before.empty  # nothing existed before the report's adoption
    series = aggregates.progress_over_time(current, log, [date(2020, 1, 1), date(2023, 1, 1)])
    assert series["average_progress"].tolist() == [20.0, 75.0]
    assert series["assessed"].tolist() == [1, 2]


def test_state_today_equals_the_current_table_for_the_demo(demo_engine):
    from tracker.db.unit_of_work import transaction
    from tracker.followup import queries

    with transaction(demo_engine) as session:
        current = queries.proposals_frame(session)
        log = queries.history_frame(session)
    rebuilt = aggregates.state_at(current, log, date.today())
    columns = [
        "number",
        "status",
        "progress",
        "lead_owner",
        "co_owners",
        "target_date",
        "last_assessed_on",
        "next_steps_fr",
        "blockers_en",
    ]
    pd.testing.assert_frame_equal(
        rebuilt[columns].reset_index(drop=True),
        current[columns]
        .fillna({"co_owners": "", "next_steps_fr": "", "blockers_en": ""})
        .reset_index(drop=True),
        check_dtype=False,
    )
