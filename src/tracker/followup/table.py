"""The proposals table: filters read from and written to the URL, the count sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd

from tracker.domain.text import plain_line
from tracker.domain.vocabulary import Status, Theme
from tracker.followup.aggregates import ProposalFilter
from tracker.followup.past import AS_OF
from tracker.followup.views import proposals_table, wording_badge
from tracker.i18n import clean_value, literal, t

TRUE_WORDS = {"1", "true", "oui", "yes", "on"}
MAX_QUERY = 200
FILTER_KEYS = ("theme", "status", "owner", "q", "stale")  # the list's parameters in the address

# The columns of the table page, those a person reads first first: which
# proposal, how far it is, by when, who leads it; then the rest.
SCREEN_COLUMNS = (
    "col.number",
    "col.title",
    "col.badge",
    "col.status",
    "col.progress",
    "col.target_date",
    "col.lead_owner",
    "col.theme",
    "col.last_assessed_on",
    "col.link",
)
ROW_HEIGHT = 35  # Streamlit's grid: one row, and the header row, in pixels
GRID_CHROME = 3 + 16  # its borders, and room for the horizontal scrollbar


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


def list_params(params: Mapping[str, Sequence[str]], owner_codes: Sequence[str], lang: str):
    """The list's filters found among an address's parameters, checked as the
    list reads them: what a link back to the list carries."""
    return filters_to_params(parse_filters(params, owner_codes, lang).filter)


def proposal_address(number: int, lang: str, day: date | None, filters: Mapping) -> str:
    """The link to a proposal's page; it carries the list's filters, which the
    proposal's « back to the list » link hands back."""
    params = {"n": str(number), "lang": lang} | ({AS_OF: day.isoformat()} if day else {})
    return "/proposition?" + urlencode({**params, **filters}, doseq=True)


def screen_table(
    shown: pd.DataFrame, names: dict[str, str], lang: str, day: date | None, filters: Mapping
) -> pd.DataFrame:
    """The table page's frame: `SCREEN_COLUMNS` in that order, statuses with
    their icon, the wording's badge beside the title, a link to each page."""
    table = proposals_table(shown, names, lang)
    table[t("col.badge", lang)] = [wording_badge(c, lang) for c in shown["wording_status"]]
    table[t("col.status", lang)] = [Status(c).badge(lang) for c in shown["status"]]
    table[t("col.link", lang)] = [
        proposal_address(int(number), lang, day, filters) for number in shown["number"]
    ]
    return table[[t(key, lang) for key in SCREEN_COLUMNS]]


def grid_height(rows: int) -> int:
    """The height, in pixels, at which the grid shows every row and its header
    without a scrollbar of its own (the page scrolls, not the table)."""
    return (max(rows, 1) + 1) * ROW_HEIGHT + GRID_CHROME
