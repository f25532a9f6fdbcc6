"""The catalogue: the twenty proposals' wording and themes, and the organisations.

The catalogue belongs to its users: the CNCD secretariat corrects any wording,
theme or owner (each change kept in history) and loads the official list from
a file. Loading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.fr import siren as siren_number

from tracker.db.models import Organisation, Proposal, ProposalChange
from tracker.domain.text import is_ascii_integer, plain_line, plain_text, web_address
from tracker.domain.vocabulary import OrganisationKind, Theme, WordingStatus
from tracker.errors import NotFound, ValidationError
from tracker.services import settings
from tracker.services.actors import Action, Actor, require
from tracker.services.followup import now

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


def load_organisations(session: Session, actor: Actor, rows: Iterable[Mapping[str, str]]) -> int:
    """Create or update organisations by code. Returns how many changed."""
    require(actor, Action.LOAD_DATA)
    cleaned = [clean_organisation_row(row, line) for line, row in enumerate(rows, start=2)]
    existing = {org.code: org for org in session.scalars(select(Organisation))}
    changed = 0
    for row in cleaned:
        org = existing.get(str(row["code"]))
        if org is None:
            session.add(Organisation(**row))
            changed += 1
            continue
        if any(getattr(org, field) != row[field] for field in ORGANISATION_FIELDS):
            for field in ORGANISATION_FIELDS:
                setattr(org, field, row[field])
            changed += 1
    if changed:
        settings.mark_changed(session)
        session.flush()
    return changed


def _record(
    session: Session,
    proposal: Proposal,
    actor: Actor,
    at: datetime,
    field: str,
    old: object,
    new: object,
    origin: str,
) -> None:
    session.add(
        ProposalChange(
            proposal_id=proposal.id,
            changed_at=at,
            author=actor.name,
            field=field,
            old_value=None if old in (None, "") else str(old),
            new_value=None if new in (None, "") else str(new),
            origin=origin,
        )
    )


def load_proposals(
    session: Session,
    actor: Actor,
    rows: Iterable[Mapping[str, str]],
    *,
    at: datetime | None = None,
    origin: str = "catalogue",
) -> int:
    """Create or update the catalogue by proposal number, keeping each change
    in history. Nothing is written unless every row is valid. Returns how many
    proposals were created or changed."""
    require(actor, Action.EDIT_CATALOGUE)
    cleaned = [clean_proposal_row(row, line) for line, row in enumerate(rows, start=2)]
    numbers = [row["number"] for row in cleaned]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise ValidationError("error.duplicate_number", value=duplicates[0])
    at = at or now()
    existing = {p.number: p for p in session.scalars(select(Proposal))}
    changed = 0
    for row in cleaned:
        proposal = existing.get(int(row["number"]))  # type: ignore[arg-type]
        if proposal is None:
            proposal = Proposal(**row)
            session.add(proposal)
            session.flush()
            for field in CATALOGUE_FIELDS:
                if row[field]:
                    _record(session, proposal, actor, at, field, None, row[field], origin)
            changed += 1
            continue
        diffs = [f for f in CATALOGUE_FIELDS if (getattr(proposal, f) or "") != row[f]]
        for field in diffs:
            _record(
                session, proposal, actor, at, field, getattr(proposal, field), row[field], origin
            )
            setattr(proposal, field, row[field])
        changed += bool(diffs)
    if changed:
        settings.mark_changed(session)
        session.flush()
    return changed


def edit_proposal_wording(
    session: Session,
    actor: Actor,
    number: int,
    changes: Mapping[str, str],
    *,
    at: datetime | None = None,
) -> int:
    """Correct one proposal's catalogue fields (wording, themes, source)."""
    require(actor, Action.EDIT_CATALOGUE)
    proposal = session.scalar(select(Proposal).where(Proposal.number == number))
    if proposal is None:
        raise NotFound("error.proposal_not_found", number=number)
    row = {field: getattr(proposal, field) or "" for field in CATALOGUE_FIELDS}
    row.update({k: v for k, v in changes.items() if k in CATALOGUE_FIELDS})
    row["number"] = str(number)
    return load_proposals(session, actor, [row], at=at, origin="ui")
