"""The charts read at a glance: whole-number ticks on every count axis at any
size, legends in the statuses' progression, one colour for a map of one
value, proposals named by their title."""

import math
import random

import pandas as pd
import pytest

from tests.test_aggregates import frame
from tracker.contributions import views
from tracker.domain.vocabulary import Status, Theme
from tracker.followup import aggregates, charts
from tracker.i18n import t

STATUSES = [s.value for s in Status]
THEMES = [x.value for x in Theme]


def proposals(size: int, seed: int = 0) -> pd.DataFrame:
    """`size` proposals with statuses, themes and owners drawn at random."""
    rng = random.Random(seed * 100 + size)
    rows = []
    for _ in range(size):
        status = rng.choice(STATUSES)
        rows.append(
            {
                "status": status,
                "primary_theme": rng.choice(THEMES),
                "progress": None if status == "non_evaluee" else rng.randint(0, 100),
                "lead_owner": rng.choice(["meae", "cncd", "afd", None]),
            }
        )
    return frame(*rows)


def ticks(axis, top: float) -> list[float]:
    """The tick values Plotly draws on `axis` from 0 to `top`, from its settings
    (a linear axis with `tick0` and `dtick`; none when Plotly chooses them)."""
    assert axis.dtick is not None, "Plotly chooses the ticks: it draws « 0,5 » or « 3,79 »"
    start = float(axis.tick0 or 0)
    step = float(axis.dtick)
    return [start + k * step for k in range(math.floor((top - start) / step) + 1)]


def assert_whole_ticks(axis, top: float) -> None:
    values = ticks(axis, top)
    assert values and all(float(v).is_integer() for v in values), values
    assert axis.tickformat and axis.tickformat.endswith("d")  # printed without decimals
    assert len(values) <= 7, f"{len(values)} ticks up to {top}"  # still readable


@pytest.mark.parametrize("size", range(1, 21))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_count_axis_has_whole_number_ticks_from_one_to_twenty_proposals(size, lang):
    data = proposals(size)
    by_theme = aggregates.status_by_theme(data)
    fig = charts.status_by_theme_chart(by_theme, lang)
    assert_whole_ticks(fig.layout.yaxis, by_theme.groupby("theme")["count"].sum().max())

    owners = aggregates.owners_by_status(data)
    fig = charts.owners_by_status_chart(owners, {}, lang)
    assert_whole_ticks(fig.layout.xaxis, owners.groupby("owner")["count"].sum().max())

    series = pd.DataFrame(
        {
            "date": pd.date_range("2019-01-31", periods=size, freq="ME"),
            "average_progress": [50.0] * size,
            "assessed": list(range(1, size + 1)),
        }
    )
    fig = charts.progress_over_time_chart(series, lang, total=size)
    axis = fig.layout.yaxis2
    assert axis.range[0] == 0 and axis.range[1] >= size
    assert_whole_ticks(axis, axis.range[1])


def test_the_assessed_axis_of_twenty_proposals_falls_on_the_progress_grid():
    series = pd.DataFrame(
        {"date": pd.to_datetime(["2019-01-31"]), "average_progress": [40.0], "assessed": [19]}
    )
    axis = charts.progress_over_time_chart(series, "fr", total=20).layout.yaxis2
    assert ticks(axis, axis.range[1]) == [0, 4, 8, 12, 16, 20]  # on 0, 20 … 100 %


@pytest.mark.parametrize("top", [1, 2, 3, 7, 19, 120, 4_321, 250_000])
def test_contribution_counts_have_whole_number_ticks_at_any_size(top):
    numbers = list(range(1, 21))
    counts = pd.DataFrame({"number": numbers, "count": [top * x // 20 for x in numbers]})
    assert_whole_ticks(views.per_proposal_chart(counts, "fr").layout.yaxis, top)

    kinds = pd.DataFrame({"kind": ["commune", "region"], "count": [top, max(top // 3, 1)]})
    assert_whole_ticks(views.per_kind_chart(kinds, "fr").layout.xaxis, top)

    countries = pd.DataFrame(
        {"country": ["SN", "MA"], "iso3": ["SEN", "MAR"], "count": [top, top + 1]}
    )
    bar = views.world_map(countries, "fr").data[0].colorbar
    assert_whole_ticks(bar, top + 1)


@pytest.mark.parametrize(
    "chart",
    [
        lambda data: charts.status_by_theme_chart(aggregates.status_by_theme(data), "fr"),
        lambda data: charts.owners_by_status_chart(aggregates.owners_by_status(data), {}, "fr"),
    ],
    ids=["status_by_theme", "owners_by_status"],
)
def test_status_legends_follow_the_statuses_progression(chart):
    data = frame(*({"status": s, "lead_owner": "meae"} for s in reversed(STATUSES)))
    fig = chart(data)
    shown = [trace.name for trace in fig.data if trace.showlegend is not False]
    ranked = [s for s in Status if s.rank is not None]
    off_the_way = [s for s in Status if s.rank is None]
    expected = sorted(ranked, key=lambda s: s.rank) + off_the_way
    assert shown == [s.badge("fr") for s in expected]
    # Plotly would draw the legend of stacked bars bottom-up otherwise.
    assert fig.layout.legend.traceorder == "normal"


def test_a_map_of_one_value_draws_one_colour_and_says_the_value():
    counts = pd.DataFrame(
        {"country": ["SN", "MA", "BJ"], "iso3": ["SEN", "MAR", "BEN"], "count": [2, 2, 2]}
    )
    fig = views.world_map(counts, "fr")
    trace = fig.data[0]
    colours = {colour for _, colour in trace.colorscale}
    assert len(colours) == 1, trace.colorscale
    assert trace.showscale is False
    assert trace.showlegend is True and fig.layout.showlegend is True
    assert "2" in trace.name and t("contrib.count_label", "fr") in trace.name


def test_a_map_of_several_values_keeps_its_scale_and_no_legend():
    counts = pd.DataFrame({"country": ["SN", "MA"], "iso3": ["SEN", "MAR"], "count": [1, 3]})
    fig = views.world_map(counts, "fr")
    trace = fig.data[0]
    assert len({colour for _, colour in trace.colorscale}) > 1
    assert fig.layout.showlegend is False
    # The scale runs from 0 to the largest count (Plotly drops a zmin without
    # zmax, and then no tick counted from 0 falls inside the scale).
    assert (trace.zmin, trace.zmax) == (0, 3)
    assert len(ticks(trace.colorbar, trace.zmax)) >= 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_progress_per_proposal_names_each_proposal_by_its_short_title(lang):
    long_title = "Renforcer les compétences des collectivités en science des données locales"
    data = frame(
        {"status": "engagee", "progress": 40, "title_fr": long_title, "title_en": long_title},
        {"status": "realisee", "progress": 100, "title_fr": "<b>Court</b>", "title_en": "Short"},
    )
    fig = charts.progress_per_proposal_chart(aggregates.progress_per_proposal(data), lang)
    labels = [label for trace in fig.data for label in trace.y]
    number = t("briefing.number", lang, number=1)
    (first,) = [label for label in labels if label.startswith(number + " ")]
    assert "Renforcer les compétences" in first and first.endswith("…")
    assert len(first) <= len(number) + 3 + charts.SHORT_TITLE
    if lang == "fr":  # typed text is shown as typed, never read as markup
        assert any("&lt;b&gt;Court&lt;/b&gt;" in label for label in labels)
    assert fig.layout.yaxis.automargin is True  # the labels are not cut at the left edge


def test_a_short_title_is_cut_at_a_word():
    assert charts.short_title("Trois mots courts") == "Trois mots courts"
    cut = charts.short_title("un " * 40, limit=20)
    assert cut.endswith("un…") and len(cut) <= 20
