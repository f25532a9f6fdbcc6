"""The /note page's settings: its two dates and its filters, read from the
address (so a copied link reproduces the same note) and kept consistent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker.briefings.content import long_date
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.followup.aggregates import ProposalFilter
from tracker.followup.past import AS_OF, SINCE, parse_day
from tracker.followup.table import filters_to_params, parse_filters
from tracker.i18n import literal, t
from tracker.review_sessions.queries import last_session_before

FILTER_KEYS = ("theme", "status", "owner")
NOTE_KEYS = (AS_OF, SINCE, *FILTER_KEYS)


@dataclass(frozen=True)
class NoteSettings:
    as_of: date
    since: date
    wanted: ProposalFilter
    warnings: list[str] = field(default_factory=list)


def default_since(sessions: pd.DataFrame, as_of: date) -> date:
    """The last review session before `as_of`, or the report's adoption."""
    return last_session_before(sessions, as_of) or ADOPTION_DATE


def kept_since(since: date, as_of: date, sessions: pd.DataFrame, lang: str) -> tuple[date, str]:
    """The comparison date once the situation date is `as_of`: unchanged while
    it is on or before `as_of`; otherwise the default, with a message saying so
    ("" when nothing moved)."""
    if since <= as_of:
        return since, ""
    moved = default_since(sessions, as_of)
    message = t(
        "note.since_moved",
        lang,
        since=long_date(since, lang),
        as_of=long_date(as_of, lang),
        new=long_date(moved, lang),
    )
    return moved, message


def settings_from_params(
    params: Mapping[str, Sequence[str]],
    owner_codes: Sequence[str],
    sessions: pd.DataFrame,
    today: date,
    lang: str,
) -> NoteSettings:
    """The note an address asks for: `?as_of=&since=&theme=&status=&owner=`.
    Values that cannot be used are replaced by the defaults, each with a
    warning (Markdown, quoting the value literally)."""
    asked = parse_day(_last(params, AS_OF), today, lang)
    warnings = list(asked.warnings)
    as_of = asked.day or today
    since = default_since(sessions, as_of)
    raw_since = _last(params, SINCE)
    if raw_since:
        wanted_since = parse_day(raw_since, today, lang)
        if wanted_since.warnings:
            warnings.append(t("note.bad_since", lang, value=literal(raw_since, 20)))
        else:
            since = wanted_since.day or today
    since, moved = kept_since(since, as_of, sessions, lang)
    if moved:
        warnings.append(moved)
    filters = parse_filters({k: list(params.get(k, [])) for k in FILTER_KEYS}, owner_codes, lang)
    wanted = ProposalFilter(filters.filter.themes, filters.filter.statuses, filters.filter.owners)
    return NoteSettings(as_of, since, wanted, warnings + filters.warnings)


def settings_to_params(as_of: date, since: date, wanted: ProposalFilter) -> dict:
    """The address of a note: both dates always (a link shared today must give
    the same note tomorrow), then the filters that are set."""
    return {AS_OF: as_of.isoformat(), SINCE: since.isoformat(), **filters_to_params(wanted)}


def _last(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = list(params.get(name, []))
    return str(values[-1]) if values else None
