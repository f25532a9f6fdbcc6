"""Rules of a contribution's fields, enforced wherever one is written.

`clean_fields` takes what a form, a file row or a test gives and returns the
values to store, or raises ValidationError naming the field (the importer turns
that field into a column of the file).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from urllib.parse import urlsplit

import pycountry

from tracker.domain.rules import normalise_progress
from tracker.domain.text import plain_line, plain_text
from tracker.domain.vocabulary import Status
from tracker.errors import ValidationError

PUBLIC_FIELDS = (
    "title",
    "description",
    "status",
    "progress",
    "start_date",
    "end_date",
    "partner_country",
    "partner_authority",
    "evidence_links",
    "budget_eur",
)
EDITABLE_FIELDS = (*PUBLIC_FIELDS, "contact")
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_SHORT_TEXT = 200
MAX_CONTACT = 300
MAX_LINKS = 5
MAX_LINK_LENGTH = 500
MAX_BUDGET = Decimal("999999999999.99")
CONTRIBUTION_STATUSES = tuple(s for s in Status if s.is_assessed)


def _fail(key: str, field: str, value: object = "", **params: object) -> ValidationError:
    return ValidationError(key, field=field, value=str(value)[:80], **params)


def _text(
    fields: Mapping[str, object],
    name: str,
    limit: int,
    required: bool = False,
    lines: bool = False,
) -> str:
    """Text as typed, less what never belongs in it: control and format
    characters (null bytes, escapes, right-to-left overrides, zero-width
    characters), and new lines unless the field may span several (`lines`)."""
    raw = fields.get(name)
    text = "" if raw is None else (plain_text(raw) if lines else plain_line(raw))
    if required and not text:
        raise _fail("contrib.required", name)
    if len(text) > limit:
        raise _fail("contrib.too_long", name, text[:40], limit=limit)
    return text


def parse_date(field: str, value: object) -> date | None:
    """A date from a date, an ISO text (2026-11-25) or a French one (25/11/2026)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _fail("contrib.bad_date", field, text)


def parse_country(value: object) -> str | None:
    """An ISO 3166-1 alpha-2 code (from alpha-2 or alpha-3), or None when empty."""
    text = "" if value is None else str(value).strip().upper()
    if not text:
        return None
    country = None
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text)
    elif len(text) == 3:
        country = pycountry.countries.get(alpha_3=text)
    if country is None:
        raise _fail("contrib.bad_country", "partner_country", text)
    return country.alpha_2


def parse_links(value: object) -> list[str]:
    """Up to five http(s) addresses, given as a list or as text separated by spaces."""
    if value is None:
        return []
    items = value.split() if isinstance(value, str) else [str(v).strip() for v in value]  # type: ignore[attr-defined]
    links = [item for item in items if item]
    if len(links) > MAX_LINKS:
        raise _fail("contrib.too_many_links", "evidence_links", len(links), limit=MAX_LINKS)
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > MAX_LINK_LENGTH:
            raise _fail("contrib.bad_link", "evidence_links", link)
    return links


def parse_budget(value: object) -> Decimal | None:
    """Euros, not negative; « 1 234,50 » as well as 1234.5."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _fail("contrib.bad_budget", "budget_eur", value)
    if isinstance(value, Decimal | int | float):
        amount = Decimal(str(value))
    else:
        text = re.sub(r"[\s\u00a0\u202f€]", "", str(value)).replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _fail("contrib.bad_budget", "budget_eur", value) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise _fail("contrib.bad_budget", "budget_eur", value)
    return amount.quantize(Decimal("0.01"))


def field_errors(fields: Mapping[str, object]) -> tuple[dict[str, object], list[ValidationError]]:
    """Every editable field checked on its own: the values to store, and every
    field's error at once (a form or a file line says them all together)."""
    values: dict[str, object] = {}
    errors: list[ValidationError] = []

    def check(name: str, parse, *args) -> None:
        try:
            values[name] = parse(*args)
        except ValidationError as error:
            if "field" not in error.params:
                error = ValidationError(error.key, field=name, **error.params)
            errors.append(error)

    status = Status.parse(fields.get("status"))
    if status is None or not status.is_assessed:
        errors.append(_fail("contrib.bad_status", "status", fields.get("status") or ""))
    else:
        values["status"] = status.value
        check("progress", normalise_progress, status, fields.get("progress"))
    check("title", _text, fields, "title", MAX_TITLE, True)
    check("description", _text, fields, "description", MAX_DESCRIPTION, False, True)
    check("start_date", parse_date, "start_date", fields.get("start_date"))
    check("end_date", parse_date, "end_date", fields.get("end_date"))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.append(_fail("contrib.end_before_start", "end_date", end.isoformat()))
    check("partner_country", parse_country, fields.get("partner_country"))
    check("partner_authority", _text, fields, "partner_authority", MAX_SHORT_TEXT)
    check("evidence_links", lambda v: "\n".join(parse_links(v)), fields.get("evidence_links"))
    check("budget_eur", parse_budget, fields.get("budget_eur"))
    check("contact", _text, fields, "contact", MAX_CONTACT)
    order = ("title", "description", "status", "progress", "start_date", "end_date")
    order += ("partner_country", "partner_authority", "evidence_links", "budget_eur", "contact")
    return {name: values[name] for name in order if name in values}, errors


def clean_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """Every editable field of a contribution, checked and normalised (the
    first error raised; `field_errors` gives them all)."""
    values, errors = field_errors(fields)
    if errors:
        raise errors[0]
    return values


def country_name(code: str | None, lang: str) -> str:
    """A country's common name in French or English (pycountry's translations)."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _french().gettext(country.name) if lang == "fr" else name


@cache
def _french() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:
        return gettext.NullTranslations()


def alpha_3(code: str | None) -> str | None:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return country.alpha_3 if country else None
