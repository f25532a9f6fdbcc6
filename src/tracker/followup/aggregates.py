"""The figures: pure functions of the proposals (and history) frames.

The dashboard, the exports and the CLI all compute their numbers here, so a
briefing and a screen can never disagree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from tracker.clock import end_of_day_stamp
from tracker.domain.vocabulary import STALE_AFTER_DAYS, Status, Theme
from tracker.followup.queries import followup_history

COUNTED = [s.value for s in Status if s.counts_in_progress]


def fold(text: object) -> str:
    """Text without accents and case, for searching (« Solidarité » → « solidarite »)."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class ProposalFilter:
    """What the table shows. Empty lists mean "all"."""

    themes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    query: str = ""
    stale_only: bool = False
    organisation_names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def is_stale(frame: pd.DataFrame, today: date) -> pd.Series:
    """No assessment for over six months (or never); done and dropped proposals,
    which need no further assessment, aside."""
    limit = today - timedelta(days=STALE_AFTER_DAYS)
    last = frame["last_assessed_on"].map(lambda d: d is None or pd.isna(d) or d < limit)
    finished = frame["status"].isin([Status.REALISEE.value, Status.ABANDONNEE.value])
    return last & ~finished


def apply_filter(frame: pd.DataFrame, wanted: ProposalFilter, today: date) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    if wanted.themes:
        mask &= frame["primary_theme"].isin(wanted.themes)
    if wanted.statuses:
        mask &= frame["status"].isin(wanted.statuses)
    if wanted.owners:
        owners = set(wanted.owners)
        mask &= frame.apply(
            lambda r: (
                r["lead_owner"] in owners
                or bool(owners & set(filter(None, (r["co_owners"] or "").split("|"))))
            ),
            axis=1,
        )
    if wanted.stale_only:
        mask &= is_stale(frame, today)
    if wanted.query.strip():
        needle = fold(wanted.query.strip())
        names = wanted.organisation_names

        def haystack(r: pd.Series) -> str:
            owners = [r["lead_owner"], *(r["co_owners"] or "").split("|")]
            return fold(
                " ".join(
                    [
                        str(r["number"]),
                        Theme(r["primary_theme"]).label("fr"),
                        Theme(r["primary_theme"]).label("en"),
                        r["title_fr"],
                        r["title_en"],
                        r["summary_fr"],
                        r["summary_en"],
                        *(names.get(o, o or "") for o in owners),
                    ]
                )
            )

        mask &= frame.apply(haystack, axis=1).str.contains(needle, regex=False)
    return frame[mask]


@dataclass(frozen=True)
class KeyFigures:
    total: int
    by_status: dict[str, int]
    assessed: int
    not_assessed: int
    counted_in_average: int
    average_progress: float | None
    stalled: int
    stale: int
    done: int


def key_figures(frame: pd.DataFrame, today: date) -> KeyFigures:
    by_status = {s.value: int((frame["status"] == s.value).sum()) for s in Status}
    counted = frame[frame["status"].isin(COUNTED)]
    average = float(counted["progress"].astype(float).mean()) if len(counted) else None
    return KeyFigures(
        total=len(frame),
        by_status=by_status,
        assessed=len(frame) - by_status[Status.NON_EVALUEE.value],
        not_assessed=by_status[Status.NON_EVALUEE.value],
        counted_in_average=len(counted),
        average_progress=average,
        stalled=by_status[Status.EN_SUSPENS.value],
        stale=int(is_stale(frame, today).sum()) if len(frame) else 0,
        done=by_status[Status.REALISEE.value],
    )


def status_by_theme(frame: pd.DataFrame) -> pd.DataFrame:
    """Proposals counted by primary theme and status, every pair present."""
    index = pd.MultiIndex.from_product(
        [[t.value for t in Theme], [s.value for s in Status]], names=["theme", "status"]
    )
    counts = frame.groupby(["primary_theme", "status"]).size()
    counts.index.names = ["theme", "status"]
    return counts.reindex(index, fill_value=0).rename("count").reset_index()


def progress_per_proposal(frame: pd.DataFrame) -> pd.DataFrame:
    """Progress of the proposals that count in averages, highest first."""
    counted = frame[frame["status"].isin(COUNTED)]
    out = counted[["number", "title_fr", "title_en", "primary_theme", "status", "progress"]]
    return out.sort_values(["progress", "number"], ascending=[False, True]).reset_index(drop=True)


def owners_by_status(frame: pd.DataFrame) -> pd.DataFrame:
    """Proposals per lead owner and status (no owner counted as empty code)."""
    data = frame.assign(owner=frame["lead_owner"].fillna(""))
    counts = data.groupby(["owner", "status"]).size().rename("count").reset_index()
    return counts.sort_values(["owner", "status"]).reset_index(drop=True)


def state_at(proposals: pd.DataFrame, history: pd.DataFrame, day: date) -> pd.DataFrame:
    """The proposals' follow-up as it stood at the end of `day`, rebuilt from history.

    Catalogue fields keep their current values; proposals with no history by
    then did not exist yet and are left out; a follow-up field never set is
    empty ("not yet assessed" for the status).
    """
    until = history[history["changed_at"] <= end_of_day_stamp(day)]
    changes = followup_history(until)
    latest = {
        (number, field): value
        for number, field, value in changes.groupby(["number", "field"], sort=False)
        .tail(1)[["number", "field", "new_value"]]
        .itertuples(index=False)
    }
    state = proposals[proposals["number"].isin(set(until["number"]))].copy()
    numbers = state["number"].tolist()

    def values(field: str) -> list[str | None]:
        return [latest.get((number, field)) for number in numbers]

    state["status"] = [v or Status.NON_EVALUEE.value for v in values("status")]
    state["progress"] = pd.array([int(v) if v else None for v in values("progress")], dtype="Int64")
    state["lead_owner"] = pd.Series(values("lead_owner"), index=state.index, dtype=object)
    for name in ("target_date", "last_assessed_on"):
        state[name] = pd.Series(
            [date.fromisoformat(v) if v else None for v in values(name)],
            index=state.index,
            dtype=object,
        )
    for name in ("co_owners", "next_steps_fr", "next_steps_en", "blockers_fr", "blockers_en"):
        state[name] = pd.Series([v or "" for v in values(name)], index=state.index, dtype=object)
    return state.reset_index(drop=True)


def month_ends(start: date, end: date) -> list[date]:
    days = pd.date_range(start, end, freq="ME").date.tolist()
    if not days or days[-1] != end:
        days.append(end)
    return days


def progress_over_time(
    proposals: pd.DataFrame, history: pd.DataFrame, days: list[date]
) -> pd.DataFrame:
    """Average progress and assessed count at each day, rebuilt from history.

    The figures are those of `key_figures(state_at(proposals, history, day), day)`
    for each day. History in time order (as read from the database) is looked
    up once for all days; in any other order, day by day."""
    if not history["changed_at"].is_monotonic_increasing:
        return _series([_figures_at(proposals, history, day) for day in days])
    ends = pd.DatetimeIndex([end_of_day_stamp(day) for day in days])
    first = history.groupby("number")["changed_at"].min()
    changes = followup_history(history)
    latest: dict[str, dict[int, list[str | None]]] = {}
    for field_name in ("status", "progress"):
        own = changes[changes["field"] == field_name]
        latest[field_name] = {}
        for number, group in own.groupby("number", sort=False):
            values = group["new_value"].tolist()
            found = group["changed_at"].searchsorted(ends, side="right") - 1
            latest[field_name][number] = [values[i] if i >= 0 else None for i in found]
    numbers = proposals["number"].tolist()
    records = []
    for position, (day, end) in enumerate(zip(days, ends, strict=True)):
        existing = [x for x in numbers if x in first.index and first[x] <= end]
        statuses = [
            latest["status"].get(x, [None] * len(days))[position] or Status.NON_EVALUEE.value
            for x in existing
        ]
        progress = [latest["progress"].get(x, [None] * len(days))[position] for x in existing]
        counted = [
            int(value) if value else None
            for status, value in zip(statuses, progress, strict=True)
            if status in COUNTED
        ]
        known = [value for value in counted if value is not None]
        average = (sum(known) / len(known) if known else float("nan")) if counted else None
        records.append(
            {
                "date": day,
                "average_progress": average,
                "assessed": len(existing) - statuses.count(Status.NON_EVALUEE.value),
                "done": statuses.count(Status.REALISEE.value),
                "counted": len(counted),
            }
        )
    return _series(records)


def _figures_at(proposals: pd.DataFrame, history: pd.DataFrame, day: date) -> dict[str, object]:
    figures = key_figures(state_at(proposals, history, day), day)
    return {
        "date": day,
        "average_progress": figures.average_progress,
        "assessed": figures.assessed,
        "done": figures.done,
        "counted": figures.counted_in_average,
    }


def _series(records: list[dict[str, object]]) -> pd.DataFrame:
    series = pd.DataFrame.from_records(records)
    if len(series):
        series["average_progress"] = pd.to_numeric(series["average_progress"]).astype(float)
    return series
