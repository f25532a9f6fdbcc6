"""What people type in a file's cells, understood as the importer's values.

A local authority's officer fills a spreadsheet with what the interface
shows: « Engagée », « Sénégal », « MEL », « n° 7 », 40 % in a percentage cell,
a real Excel date. Each coded column therefore takes the code, the French
label and the English label, with or without accents and in any case; the
headers take the codes or the column titles in either language. What cannot
be understood is a `ValidationError` naming the column, what was found and
what is accepted, in the user's language (`accepted`, a list, or a hint in
the message itself).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache

import pycountry

from tracker.contributions.files import Percent
from tracker.contributions.rules import CONTRIBUTION_STATUSES, _french, parse_budget
from tracker.errors import ValidationError
from tracker.exports import FORMULA_STARTS
from tracker.i18n import t

EXAMPLE_MARKS = {"fr": "EXEMPLE", "en": "EXAMPLE"}  # a template's example row, in its id cell
MAX_LISTED = 8  # accepted values named in a message; more is a hint to the list


def match_key(text: object) -> str:
    """« Partiellement réalisée », "partiellement_realisee" and
    "PARTIELLEMENT REALISEE" are one key: no accents, no case, words only."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())


def _listed(values: Iterable[str]) -> list[str]:
    values = list(values)
    return values if len(values) <= MAX_LISTED else [*values[:MAX_LISTED], "…"]


# Headers -------------------------------------------------------------------------


def column_title(name: str, lang: str) -> str:
    """The title a template shows for column `name` (« Statut », "Status")."""
    return t(f"contrib.field.{name}", lang) if name != "id" else t("import.column.id", lang)


def header_names(columns: list[str]) -> dict[str, str]:
    """Every way of naming each column: its code, its French and English titles."""
    names: dict[str, str] = {}
    for name in columns:
        for written in (name, column_title(name, "fr"), column_title(name, "en")):
            names.setdefault(match_key(written), name)
    return names


def is_example(value: object) -> bool:
    """The template's example row (its id cell says so): never imported."""
    return match_key(value) in {match_key(mark) for mark in EXAMPLE_MARKS.values()}


# Vocabularies --------------------------------------------------------------------


def _terms(members: Iterable) -> dict[str, str]:
    names: dict[str, str] = {}
    for member in members:
        for written in (member.value, member.label("fr"), member.label("en")):
            names.setdefault(match_key(written), member.value)
    return names


@cache
def _statuses() -> dict[str, str]:
    return _terms(CONTRIBUTION_STATUSES)


@cache
def _countries() -> dict[str, str]:
    """ISO codes, English names (official, common) and French names."""
    french = _french()
    names: dict[str, str] = {}
    for country in pycountry.countries:
        written = [country.alpha_2, country.alpha_3]
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                written += [value, french.gettext(value)]
        for value in written:
            names.setdefault(match_key(value), country.alpha_2)
    return names


@dataclass(frozen=True)
class Organisations:
    """The organisations a file may name, by code, short name, full name or SIREN."""

    by_name: dict[str, str]  # match key → code
    shown: list[str]  # what a message lists as accepted

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str, str | None]]) -> Organisations:
        by_name: dict[str, str] = {}
        shown: list[str] = []
        for code, short_name, full_name, siren in rows:
            for written in (code, short_name, full_name, siren):
                if written:
                    by_name.setdefault(match_key(written), code)
            shown.append(f"{code} ({short_name})" if short_name else code)
        return cls(by_name, shown)


# Cells ---------------------------------------------------------------------------


def _refuse(key: str, field: str, value: object, **params: object) -> ValidationError:
    shown = value.isoformat() if isinstance(value, date) else value
    return ValidationError(key, field=field, value=str(shown)[:80], **params)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unneutralise(value: str) -> str:
    """Undo the apostrophe our exports put before formula-like text."""
    if len(value) > 1 and value[0] == "'" and value[1] in "".join(FORMULA_STARTS):
        return value[1:]
    return value


def text(value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.strftime("%d/%m/%Y")
    return _unneutralise(str(value).strip())


def whole_number(value: object, field: str) -> int | None:
    """12, 12.0, « 12 », « 12,0 »."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _refuse("import.bad_id", field, value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    written = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        number = Decimal(written)
    except InvalidOperation:
        raise _refuse("import.bad_id", field, value) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _refuse("import.bad_id", field, value)
    return int(number)


def identifier(value: object) -> int | None:
    number = whole_number(value, "id")
    if number is not None and number < 1:
        raise _refuse("import.bad_id", "id", value)
    return number


_PROPOSAL = re.compile(r"^(?:n|no|num|numero|number|proposition|proposal|p)?\s*(\d{1,3})(?:\s.*)?$")


def proposal(value: object, numbers: Iterable[int]) -> int | None:
    """7, « 7 », « n° 7 », « Proposition 7 », « 7 — Créer… » (the template's list)."""
    if _blank(value):
        return None
    numbers = sorted(numbers)
    bounds = {"first": numbers[0], "last": numbers[-1]} if numbers else {"first": 1, "last": 1}
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        found = _PROPOSAL.match(match_key(value))
        if found is None:
            raise _refuse("import.bad_proposal", "proposal", value, **bounds)
        number = int(found.group(1))
    if number not in numbers:
        raise _refuse("import.bad_proposal", "proposal", value, **bounds)
    return number


def status(value: object, lang: str) -> str | None:
    if _blank(value):
        return None
    code = _statuses().get(match_key(value))
    if code is None:
        raise _refuse(
            "import.not_in_list",
            "status",
            value,
            accepted=[s.label(lang) for s in CONTRIBUTION_STATUSES],
        )
    return code


def organisation(value: object, organisations: Organisations) -> str | None:
    if _blank(value):
        return None
    code = organisations.by_name.get(match_key(value))
    if code is None:
        raise _refuse(
            "import.bad_organisation", "organisation", value, accepted=_listed(organisations.shown)
        )
    return code


def country(value: object) -> str | None:
    if _blank(value):
        return None
    code = _countries().get(match_key(value))
    if code is None:
        raise _refuse("import.bad_country", "partner_country", value)
    return code


def progress(value: object) -> int | None:
    """40, « 40 », « 40 % », « 40,0 », and 0.4 in a cell formatted as a percentage."""
    if _blank(value):
        return None
    if isinstance(value, Percent):
        number = Decimal(str(value)) * 100
    elif isinstance(value, bool):
        raise _refuse("import.bad_progress", "progress", value)
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        written = re.sub(r"[\s\u00a0\u202f%]", "", str(value)).replace(",", ".")
        try:
            number = Decimal(written)
        except InvalidOperation:
            raise _refuse("import.bad_progress", "progress", value) from None
    if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= 100:
        shown = f"{value * 100:g} %" if isinstance(value, Percent) else value
        raise _refuse("import.bad_progress", "progress", shown)
    return int(number)


_DATE_PATTERNS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_DAYS = range(32874, 73051)  # 1990 to 2099: a day number, not a year or an amount


def day(value: object, field: str) -> date | None:
    """25/11/2026, 2026-11-25, a real Excel date, or Excel's day number (46351)."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _EXCEL_DAYS:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise _refuse("import.bad_date", field, value)
    written = str(value).strip()
    for pattern in _DATE_PATTERNS:
        try:
            return datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    raise _refuse("import.bad_date", field, value)


def budget(value: object) -> Decimal | None:
    try:
        return parse_budget(value)
    except ValidationError:
        raise _refuse("import.bad_budget", "budget_eur", value) from None
