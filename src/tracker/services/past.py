"""Views as they stood at a chosen date, rebuilt from history (never from a
stored copy): the date read from the address (`?as_of=YYYY-MM-DD`, the name
the public API uses too), and the frames every page draws from at that date.

`None` as the day means "now": the current data, untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.i18n import d, literal, t
from tracker.services import aggregates, contribution_history

AS_OF = "as_of"
SINCE = "since"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class RequestedDay:
    day: date | None  # None: the current state
    warnings: list[str] = field(default_factory=list)


def parse_day(raw: object, today: date, lang: str) -> RequestedDay:
    """The day an address asks for. A bad or future date shows the current
    state, a date before the report's adoption shows the adoption, each with a
    warning that quotes the value literally; today is the current state."""
    if raw is None or str(raw).strip() == "":
        return RequestedDay(None)
    text = str(raw).strip()
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        return RequestedDay(None, [t("past.bad_date", lang, value=literal(text, 20))])
    if day > today:
        return RequestedDay(None, [t("past.future_date", lang, value=literal(text))])
    if day < ADOPTION_DATE:
        adoption = d(ADOPTION_DATE, lang)
        warning = t("past.before_adoption", lang, value=literal(text), adoption=adoption)
        return RequestedDay(ADOPTION_DATE, [warning])
    return RequestedDay(None if day == today else day)


def proposals_at(proposals: pd.DataFrame, history: pd.DataFrame, day: date | None) -> pd.DataFrame:
    """The proposals at the end of `day` (statuses, progress, owners…), or now."""
    return proposals if day is None else aggregates.state_at(proposals, history, day)


def history_until(history: pd.DataFrame, day: date | None) -> pd.DataFrame:
    """The changes recorded by the end of `day` (all of them for now)."""
    if day is None:
        return history
    return history[history["changed_at"] <= contribution_history.end_of_day(day)]
