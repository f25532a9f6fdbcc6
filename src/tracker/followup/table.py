"""The proposals table: filters read from and written to the URL, the count sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from tracker.domain.text import plain_line
from tracker.domain.vocabulary import Status, Theme
from tracker.followup.aggregates import ProposalFilter
from tracker.i18n import clean_value, literal, t

TRUE_WORDS = {"1", "true", "oui", "yes", "on"}
MAX_QUERY = 200


@dataclass(frozen=True)
class ParsedFilters:
    filter: ProposalFilter
    warnings: list[str]


def parse_filters(
    params: Mapping[str, Sequence[str]], owner_codes: Sequence[str], lang: str
) -> ParsedFilters:
    """Filters from URL parameters (each a list of values). Unknown values are
    dropped with a warning the page shows (Markdown, quoting the value
    literally), never an error."""
    warnings: list[str] = []

    def known(name: str, allowed: Sequence[str], message: str) -> tuple[str, ...]:
        values: list[str] = []
        for raw in params.get(name, []):
            for value in str(raw).split(","):
                value = plain_line(value)
                if not value:
                    continue
                if value in allowed:
                    values.append(value)
                else:
                    warnings.append(t(message, lang, value=literal(value)))
        return tuple(dict.fromkeys(values))

    themes = known("theme", [x.value for x in Theme], "filter.unknown_theme")
    statuses = known("status", [s.value for s in Status], "filter.unknown_status")
    owners = known("owner", list(owner_codes), "filter.unknown_owner")
    query = clean_value(" ".join(map(str, params.get("q", []))), limit=10 * MAX_QUERY)[:MAX_QUERY]
    stale = any(str(v).strip().lower() in TRUE_WORDS for v in params.get("stale", []))
    return ParsedFilters(ProposalFilter(themes, statuses, owners, query, stale), warnings)


def filters_to_params(wanted: ProposalFilter) -> dict[str, list[str] | str]:
    """URL parameters for a filter; empty ones left out so links stay short."""
    params: dict[str, list[str] | str] = {}
    if wanted.themes:
        params["theme"] = list(wanted.themes)
    if wanted.statuses:
        params["status"] = list(wanted.statuses)
    if wanted.owners:
        params["owner"] = list(wanted.owners)
    if wanted.query.strip():
        params["q"] = wanted.query.strip()
    if wanted.stale_only:
        params["stale"] = "1"
    return params


def count_sentence(shown: int, total: int, lang: str) -> str:
    """« 7 propositions sur 20 », « 1 proposition sur 20 »."""
    if shown == total:
        key = "table.count_all_one" if total == 1 else "table.count_all"
    else:
        key = "table.count_one" if shown <= 1 else "table.count"
    return t(key, lang, shown=shown, total=total)


def owner_choices(
    proposals: pd.DataFrame, names: Mapping[str, str], chosen: Sequence[str] = ()
) -> list[str]:
    """The organisations the owner filter offers, by name: those that carry a
    proposal (lead or co-owner; no other could match), and any already chosen.
    Not every organisation: there may be thousands of contributing ones."""
    owners = set(proposals["lead_owner"].dropna())
    for codes in proposals["co_owners"].dropna():
        owners.update(code for code in codes.split("|") if code)
    owners = {code for code in owners | set(chosen) if code in names}
    return sorted(owners, key=lambda code: names[code].casefold())
