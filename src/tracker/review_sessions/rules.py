"""The session grid's rules: which fields it edits, what one save changes, and
which proposals need their blockers looked at again. Pure functions."""

from __future__ import annotations

from datetime import date

import pandas as pd

# What the secretariat updates at a session, in the grid's order.
GRID_FIELDS = (
    "status",
    "progress",
    "last_assessed_on",
    "next_steps_fr",
    "next_steps_en",
    "blockers_fr",
    "blockers_en",
)
TEXT_FIELDS = ("next_steps_fr", "next_steps_en", "blockers_fr", "blockers_en")


def grid_frame(proposals: pd.DataFrame, numbers: list[int] | None = None) -> pd.DataFrame:
    """The grid as it opens: number, title and the fields to update, for the
    proposals `numbers` (all twenty when None), by number."""
    shown = proposals if numbers is None else proposals[proposals["number"].isin(numbers)]
    frame = shown[["number", "title_fr", "title_en", *GRID_FIELDS]].sort_values("number")
    return frame.reset_index(drop=True)


def _same(a: object, b: object) -> bool:
    missing_a = a is None or (not isinstance(a, str) and pd.isna(a))
    missing_b = b is None or (not isinstance(b, str) and pd.isna(b))
    if missing_a or missing_b:
        return missing_a and missing_b
    if isinstance(a, pd.Timestamp):
        a = a.date()
    if isinstance(b, pd.Timestamp):
        b = b.date()
    if isinstance(a, float | int) and isinstance(b, float | int):
        return float(a) == float(b)
    return str(a).strip() == str(b).strip()


def _value(field: str, value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "" if field in TEXT_FIELDS else None
    if field == "progress":
        return int(value)
    if field == "last_assessed_on":
        return value.date() if isinstance(value, pd.Timestamp) else value
    return value


def grid_changes(before: pd.DataFrame, after: pd.DataFrame) -> dict[int, dict[str, object]]:
    """What one save of the grid changes: per proposal number, the fields whose
    value differs from the grid as it opened (nothing for a row left alone)."""
    opened = before.set_index("number")
    changes: dict[int, dict[str, object]] = {}
    for row in after.to_dict("records"):
        number = int(row["number"])
        if number not in opened.index:
            continue
        was = opened.loc[number]
        changed = {
            field: _value(field, row[field])
            for field in GRID_FIELDS
            if field in row and not _same(was[field], row[field])
        }
        if changed:
            changes[number] = changed
    return changes


def blockers_to_review(before: pd.DataFrame, changes: dict[int, dict[str, object]]) -> list[int]:
    """Proposals whose status changes while their blockers stay the same (and
    either there are blockers, or it becomes stalled): the grid asks the
    secretariat to look at the blockers again."""
    opened = before.set_index("number")

    def has_blockers(number: int) -> bool:
        return any(str(opened.loc[number, f] or "").strip() for f in ("blockers_fr", "blockers_en"))

    return sorted(
        number
        for number, changed in changes.items()
        if "status" in changed
        and not {"blockers_fr", "blockers_en"} & set(changed)
        and number in opened.index
        and (has_blockers(number) or changed["status"] == "en_suspens")
    )


def default_assessment_day(held_on: date, today: date) -> date:
    """The date of assessment the grid proposes: the session's."""
    return min(held_on, today)
