"""rules (split from tracker.services.catalogue)."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from stdnum.fr import siren as siren_number

from tracker.domain.text import is_ascii_integer, plain_line, plain_text, web_address
from tracker.domain.vocabulary import OrganisationKind, Theme, WordingStatus
from tracker.errors import ValidationError

CATALOGUE_FIELDS = (
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "primary_theme",
    "secondary_themes",
    "report_reference",
    "wording_status",
    "source_url",
)


ORGANISATION_FIELDS = ("short_name", "full_name", "kind", "siren", "website")
# What the open data publishes (its Table Schema says the same, from here):
# a stable code, names of one line, an http(s) web site.
ORGANISATION_CODE = "^[a-z0-9][a-z0-9-]*$"
ORGANISATION_LIMITS = {"code": 64, "short_name": 120, "full_name": 300, "website": 300}


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file (with or without BOM), as dicts of stripped text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {key.strip(): (value or "").strip() for key, value in row.items() if key}
            for row in csv.DictReader(handle)
        ]


def clean_proposal_row(row: Mapping[str, object], line: int) -> dict[str, object]:
    """A catalogue row checked and normalised, or ValidationError naming the line.

    Cells may come from a CSV file, a spreadsheet or a form: anything that is
    not text is read as text, control characters are dropped, codes are trimmed.
    """

    def fail(column: str, value: object) -> ValidationError:
        return ValidationError("error.bad_cell", line=line, column=column, value=value)

    cells = {field: plain_text(row.get(field)) for field in (*CATALOGUE_FIELDS, "number")}
    if not is_ascii_integer(cells["number"]) or int(cells["number"]) < 1:
        raise fail("number", cells["number"])
    number = int(cells["number"])
    primary = Theme.parse(cells["primary_theme"])
    if primary is None:
        raise fail("primary_theme", cells["primary_theme"])
    codes = [code.strip() for code in cells["secondary_themes"].split("|") if code.strip()]
    if any(Theme.parse(code) is None for code in codes):
        raise fail("secondary_themes", cells["secondary_themes"])
    secondary = sorted(set(codes) - {primary.value})
    wording = WordingStatus.parse(cells["wording_status"])
    if wording is None:
        raise fail("wording_status", cells["wording_status"])
    for column in ("title_fr", "title_en"):
        cells[column] = plain_line(cells[column])
        if not cells[column]:
            raise fail(column, "")
    source = cells["source_url"]
    if source and (
        not source.lower().startswith(("http://", "https://")) or web_address(source) is None
    ):
        raise fail("source_url", source)
    cleaned: dict[str, object] = {field: cells[field] for field in CATALOGUE_FIELDS}
    cleaned.update(
        number=number,
        primary_theme=primary.value,
        secondary_themes="|".join(secondary),
        wording_status=wording.value,
        source_url=plain_line(source),
    )
    return cleaned


def clean_organisation_row(row: Mapping[str, str], line: int) -> dict[str, object]:
    """An organisation row checked against the schema the open data publishes
    (`opendata.ORGANISATIONS_SCHEMA`), or ValidationError naming the column:
    the code matches `ORGANISATION_CODE`, the names are one line of text, the
    web site an http(s) address; none longer than its column."""

    def fail(column: str, value: object) -> ValidationError:
        return ValidationError("error.bad_cell", line=line, column=column, value=value)

    code = plain_line(row.get("code") or "")
    if not re.fullmatch(ORGANISATION_CODE, code) or len(code) > ORGANISATION_LIMITS["code"]:
        raise fail("code", code)
    kind = OrganisationKind.parse(row.get("kind"))
    if kind is None:
        raise fail("kind", row.get("kind"))
    siren = (row.get("siren") or "").replace(" ", "")
    if siren and not siren_number.is_valid(siren):
        raise fail("siren", siren)
    if siren and not kind.is_local_authority:
        raise fail("siren", siren)
    short_name = plain_line(row.get("short_name") or "") or code
    full_name = plain_line(row.get("full_name") or "") or short_name
    website = _website(row.get("website"))
    if website is False:
        raise fail("website", plain_line(row.get("website") or ""))
    cleaned = {
        "code": code,
        "short_name": short_name,
        "full_name": full_name,
        "kind": kind.value,
        "siren": siren or None,
        "website": website,
    }
    for column, limit in ORGANISATION_LIMITS.items():
        if len(cleaned[column] or "") > limit:
            raise fail(column, f"{str(cleaned[column])[:40]}…")
    return cleaned


def _website(value: object) -> str | Literal[False] | None:
    """An organisation's web site: None when empty, the http(s) address with a
    host and nothing a link could be broken with, or False."""
    text = plain_line(value or "")
    if not text:
        return None
    address = web_address(text)
    if address is None or address != text:
        return False  # another scheme, or a space, a quote, an angle bracket…
    host = urlsplit(address).hostname or ""
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?", host) or "." not in host:
        return False
    return address
