"""Views as they stood at a chosen date, rebuilt from history (never from a
stored copy): the date read from the address (`?as_of=YYYY-MM-DD`, the name
the public API uses too), and the frames every page draws from at that date.

`None` as the day means "now": the current data, untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker.clock import AS_OF_BEFORE_ADOPTION, end_of_day_stamp, parse_as_of
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.errors import ValidationError
from tracker.followup import aggregates
from tracker.i18n import d, describe, t

AS_OF = "as_of"
SINCE = "since"


@dataclass(frozen=True)
class RequestedDay:
    day: date | None  # None: the current state
    warnings: list[str] = field(default_factory=list)


def parse_day(raw: object, today: date, lang: str) -> RequestedDay:
    """The day an address asks for, by the one rule (`tracker.clock.parse_as_of`).
    A page never fails on it: a malformed or future date shows the current
    state, a date before the report's adoption shows the adoption, each with a
    warning that says why (the value quoted literally) and what is shown;
    today is the current state."""
    try:
        day = parse_as_of(raw, today)
    except ValidationError as error:
        why = describe(error, lang, markdown=True)
        if error.key == AS_OF_BEFORE_ADOPTION:
            shown = t("past.shows_adoption", lang, adoption=d(ADOPTION_DATE, lang))
            return RequestedDay(ADOPTION_DATE, [f"{why} {shown}"])
        return RequestedDay(None, [f"{why} {t('past.shows_current', lang)}"])
    return RequestedDay(None if day == today else day)


def proposals_at(proposals: pd.DataFrame, history: pd.DataFrame, day: date | None) -> pd.DataFrame:
    """The proposals at the end of `day` (statuses, progress, owners…), or now."""
    return proposals if day is None else aggregates.state_at(proposals, history, day)


def history_until(history: pd.DataFrame, day: date | None) -> pd.DataFrame:
    """The changes recorded by the end of `day` (all of them for now)."""
    if day is None:
        return history
    return history[history["changed_at"] <= end_of_day_stamp(day)]
