"""rules (split from tracker.services.catalogue)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

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
    def fail(column: str, value: object) -> ValidationError:
        return ValidationError("error.bad_cell", line=line, column=column, value=value)

    if not row.get("code"):
        raise fail("code", "")
    kind = OrganisationKind.parse(row.get("kind"))
    if kind is None:
        raise fail("kind", row.get("kind"))
    siren = (row.get("siren") or "").replace(" ", "")
    if siren and not siren_number.is_valid(siren):
        raise fail("siren", siren)
    if siren and not kind.is_local_authority:
        raise fail("siren", siren)
    return {
        "code": row["code"],
        "short_name": row.get("short_name") or row["code"],
        "full_name": row.get("full_name") or row.get("short_name") or row["code"],
        "kind": kind.value,
        "siren": siren or None,
        "website": row.get("website") or None,
    }
