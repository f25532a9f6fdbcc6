"""The one clock: every "now", "today" and "end of that day" of the tracker.

Moments are aware datetimes in UTC, as stored; a day ends at its last
microsecond in UTC, so a change made at 23:59 counts in that day everywhere
(pages, briefings, the API, the command line).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pandas as pd

from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.errors import ValidationError


def now() -> datetime:
    """This moment, aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date, where the server runs."""
    return date.today()


def aware(value: datetime | None) -> datetime | None:
    """A stored moment made aware: SQLite gives back naive datetimes, which
    were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def end_of_day(day: date) -> datetime:
    """The last moment of `day`, in UTC."""
    return datetime.combine(day, time.max, tzinfo=UTC)


def end_of_day_stamp(day: date) -> pd.Timestamp:
    """`end_of_day` as a pandas timestamp, to compare with a frame's column."""
    return pd.Timestamp(end_of_day(day))


def noon(day: date) -> datetime:
    """Midday of `day`, in UTC: when dated facts without a time (a seeded
    assessment, say) are recorded."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


# The date asked for (`as_of`) -------------------------------------------------

AS_OF_MALFORMED = "as_of.malformed"
AS_OF_FUTURE = "as_of.future"
AS_OF_BEFORE_ADOPTION = "as_of.before_adoption"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_as_of(raw: object, today: date, parameter: str = "as_of") -> date | None:
    """The one rule for a date asked for, in pages' addresses (`?as_of=`), the
    API (`?as_of=`) and the command line (`--as-of`).

    Nothing (`None`: no parameter) asks for nothing: now. Any text given, even
    empty, must be exactly a real day written `YYYY-MM-DD` in ASCII digits (as
    the API's schema says: `format: date`), from the report's adoption
    (`ADOPTION_DATE`) to `today` included.
    Anything else raises a `ValidationError` naming `parameter`, with one of
    three keys: `as_of.malformed`, `as_of.future`, `as_of.before_adoption`.
    What the caller does with it is its own: a page says it and shows now (or
    the adoption), the API answers 400, the command line exits with status 2.
    """
    if raw is None:
        return None
    text = str(raw)
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(AS_OF_MALFORMED, parameter=parameter, value=text[:40]) from None
    if day > today:
        raise ValidationError(AS_OF_FUTURE, parameter=parameter, value=text)
    if day < ADOPTION_DATE:
        raise ValidationError(
            AS_OF_BEFORE_ADOPTION, parameter=parameter, value=text, adoption=ADOPTION_DATE
        )
    return day
