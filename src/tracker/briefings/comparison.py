"""State at a date, what changed between two dates, and the alerts a reviewer
expects: pure functions of the proposals and history frames.

Every figure comes from `tracker.services.aggregates` (`state_at`,
`key_figures`, `is_stale`, `apply_filter`), the functions the dashboard uses,
so a briefing never disagrees with the screen.

Validated contributions come in through `compare(..., contributions=)`:
either the frame of every validated version
(`contribution_history.versions_frame`), from which the comparison lists those
validated between the two dates, or a reader that asks the database for them
(`contribution_history.window_in_database`, the first ones only on a page).
Without either (`None`) the comparison has no contributions part, and
documents skip it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from tracker.clock import end_of_day_stamp
from tracker.contributions import history as contribution_history
from tracker.contributions.history import Window, WindowReader
from tracker.domain.vocabulary import AlertKind, Status
from tracker.followup import aggregates
from tracker.followup.aggregates import KeyFigures, ProposalFilter
from tracker.followup.queries import followup_history
from tracker.review_sessions.queries import open_decisions, overdue_decisions

DONE_OR_DROPPED = (Status.REALISEE.value, Status.ABANDONNEE.value)


def selection_at(
    proposals: pd.DataFrame, history: pd.DataFrame, day: date, wanted: ProposalFilter
) -> pd.DataFrame:
    """The proposals as they stood at the end of `day`, filtered as they stood then."""
    state = aggregates.state_at(proposals, history, day)
    return aggregates.apply_filter(state, wanted, day).reset_index(drop=True)


@dataclass(frozen=True)
class Comparison:
    """The selection at two dates, proposal by proposal."""

    since: date
    as_of: date
    before: pd.DataFrame
    after: pd.DataFrame
    figures_before: KeyFigures
    figures_after: KeyFigures
    rows: pd.DataFrame
    window: Window | None = None

    @property
    def contributions(self) -> pd.DataFrame | None:
        """The contributions validated in between that are listed: all of
        them, or the first ones when the window was read with a limit (see
        `window.total`)."""
        return None if self.window is None else self.window.rows

    @property
    def changed(self) -> pd.DataFrame:
        """Proposals whose status or progress differ, largest moves first."""
        rows = self.rows[self.rows["status_changed"] | self.rows["progress_changed"]]
        order = rows["progress_delta"].abs().fillna(0)
        return (
            rows.assign(_order=order)
            .sort_values(["status_changed", "_order", "number"], ascending=[False, False, True])
            .drop(columns="_order")
        )

    @property
    def newly_stalled(self) -> list[int]:
        return self.rows.loc[self.rows["newly_stalled"], "number"].tolist()

    @property
    def not_assessed_since(self) -> list[int]:
        return self.rows.loc[~self.rows["assessed_in_between"], "number"].tolist()


def compare(
    proposals: pd.DataFrame,
    history: pd.DataFrame,
    since: date,
    as_of: date,
    wanted: ProposalFilter | None = None,
    contributions: pd.DataFrame | WindowReader | None = None,
) -> Comparison:
    """What changed between the end of `since` and the end of `as_of`.

    The proposals compared are those the filter selects at `as_of` (the date
    the briefing describes); their state at `since` is rebuilt from history.
    """
    wanted = wanted or ProposalFilter()
    after = selection_at(proposals, history, as_of, wanted)
    numbers = after["number"].tolist()
    full_before = aggregates.state_at(proposals, history, since)
    before = full_before[full_before["number"].isin(numbers)].reset_index(drop=True)
    previous = before.set_index("number")

    def earlier(number: int, column: str) -> object:
        return previous.at[number, column] if number in previous.index else None

    records = []
    for row in after.itertuples(index=False):
        status_before = earlier(row.number, "status")
        progress_before = _int_or_none(earlier(row.number, "progress"))
        progress_after = _int_or_none(row.progress)
        delta = (
            progress_after - progress_before
            if progress_after is not None and progress_before is not None
            else None
        )
        last = row.last_assessed_on
        records.append(
            {
                "number": int(row.number),
                "title_fr": row.title_fr,
                "title_en": row.title_en,
                "primary_theme": row.primary_theme,
                "status_before": status_before,
                "status_after": row.status,
                "progress_before": progress_before,
                "progress_after": progress_after,
                "progress_delta": delta,
                "status_changed": status_before != row.status,
                "progress_changed": progress_before != progress_after,
                "newly_stalled": row.status == Status.EN_SUSPENS.value
                and status_before != Status.EN_SUSPENS.value,
                # Dropped proposals are not expected to be assessed again.
                "assessed_in_between": (last is not None and last > since)
                or row.status == Status.ABANDONNEE.value,
                "last_assessed_on": last,
            }
        )
    rows = pd.DataFrame.from_records(records, columns=_ROW_COLUMNS)
    rows["progress_delta"] = rows["progress_delta"].astype("Int64")
    for column in ("status_changed", "progress_changed", "newly_stalled", "assessed_in_between"):
        rows[column] = rows[column].astype(bool)
    return Comparison(
        since=since,
        as_of=as_of,
        before=before,
        after=after,
        figures_before=aggregates.key_figures(before, since),
        figures_after=aggregates.key_figures(after, as_of),
        rows=rows,
        window=validated_between(contributions, since, as_of, numbers),
    )


_ROW_COLUMNS = [
    "number",
    "title_fr",
    "title_en",
    "primary_theme",
    "status_before",
    "status_after",
    "progress_before",
    "progress_after",
    "progress_delta",
    "status_changed",
    "progress_changed",
    "newly_stalled",
    "assessed_in_between",
    "last_assessed_on",
]


def validated_between(
    contributions: pd.DataFrame | WindowReader | None,
    since: date,
    as_of: date,
    numbers: list[int],
) -> Window | None:
    """Contributions validated after the end of `since` and by the end of
    `as_of`, to the proposals shown (see `contribution_history`), from every
    version or from the database. None when neither was given."""
    if contributions is None:
        return None
    if isinstance(contributions, pd.DataFrame):
        return Window.of(
            contribution_history.validated_between(contributions, since, as_of, numbers)
        )
    return contributions(since, as_of, numbers)


def _int_or_none(value: object) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return int(value)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Alert:
    """One thing a reviewer should look at, with the facts that explain it."""

    kind: AlertKind
    number: int
    day: date | None = None
    before: int | None = None
    after: int | None = None
    status: Status | None = None


def alerts(
    state: pd.DataFrame,
    history: pd.DataFrame,
    as_of: date,
    decisions: pd.DataFrame | None = None,
    reported: Mapping[int, Collection[str]] | None = None,
) -> list[Alert]:
    """Alerts on the proposals of `state` (a state at `as_of`), by kind then number;
    with `decisions`, each proposal concerned by one overdue at `as_of`, or by
    one still open while the proposal is completed; with `reported` (the
    statuses its validated contributions report, per proposal), each proposal
    that a contribution says is further along than it is.

    Stalled and stale use the same rules as the dashboard's key figures, so
    their counts equal `key_figures(state, as_of).stalled` and `.stale`.
    """
    until = followup_history(history[history["changed_at"] <= end_of_day_stamp(as_of)])
    until = until[until["number"].isin(set(state["number"]))]
    last_status_change = until[until["field"] == "status"].groupby("number").tail(1)
    stalled_since = {
        int(r.number): r.changed_at.date() for r in last_status_change.itertuples(index=False)
    }
    last_progress_change = until[until["field"] == "progress"].groupby("number").tail(1)
    dropped = set(state.loc[state["status"] == Status.ABANDONNEE.value, "number"])

    found: list[Alert] = []
    for row in state[state["status"] == Status.EN_SUSPENS.value].itertuples(index=False):
        found.append(Alert(AlertKind.STALLED, int(row.number), stalled_since.get(int(row.number))))
    stale = state[aggregates.is_stale(state, as_of)] if len(state) else state
    for row in stale.itertuples(index=False):
        found.append(Alert(AlertKind.STALE, int(row.number), row.last_assessed_on))
    for row in state.itertuples(index=False):
        target = row.target_date
        if target is not None and target < as_of and row.status not in DONE_OR_DROPPED:
            found.append(Alert(AlertKind.OVERDUE, int(row.number), target))
    for change in last_progress_change.itertuples(index=False):
        old, new = _int_or_none(_number(change.old_value)), _int_or_none(_number(change.new_value))
        if change.number in dropped:
            continue
        if old is not None and new is not None and new < old:
            found.append(
                Alert(AlertKind.REGRESSING, int(change.number), change.changed_at.date(), old, new)
            )
    assessed = dict(zip(state["number"], state["last_assessed_on"], strict=True))
    for change in last_progress_change.itertuples(index=False):
        on = assessed.get(change.number)
        changed = change.changed_at.date()
        if change.number not in dropped and (on is None or pd.isna(on) or on < changed):
            found.append(Alert(AlertKind.PROGRESS_UNASSESSED, int(change.number), changed))
    status = dict(zip(state["number"], state["status"], strict=True))
    if decisions is not None:
        for row in overdue_decisions(decisions, as_of).itertuples(index=False):
            found.extend(
                Alert(AlertKind.DECISION_OVERDUE, int(n), row.due_on)
                for n in row.numbers
                if n in status
            )
        done = {n for n, s in status.items() if s == Status.REALISEE.value}
        for row in open_decisions(decisions, as_of).itertuples(index=False):
            found.extend(
                Alert(AlertKind.DECISION_ON_DONE, int(n), row.session_held_on)
                for n in row.numbers
                if n in done
            )
    for number, statuses in (reported or {}).items():
        own = Status.parse(status.get(number) or "")
        ranks = [r for r in (Status.parse(s) for s in statuses) if r is not None]
        ahead = [s for s in ranks if s.rank is not None]
        if own is None or own.rank is None or not ahead:
            continue
        furthest = max(ahead, key=lambda s: s.rank)
        if furthest.rank > own.rank:
            found.append(Alert(AlertKind.CONTRIBUTION_AHEAD, int(number), None, status=furthest))
    # One alert per proposal and kind (a proposal in two open decisions is one).
    found = list({(a.kind, a.number): a for a in found}.values())
    order = list(AlertKind)
    return sorted(found, key=lambda a: (order.index(a.kind), a.number))


def _number(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None
