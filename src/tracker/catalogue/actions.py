"""The catalogue: the twenty proposals' wording and themes, and the organisations.

The catalogue belongs to its users: the CNCD secretariat corrects any wording,
theme or owner (each change kept in history) and loads the official list from
a file. Loading the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import audit
from tracker.catalogue.queries import get_proposal
from tracker.catalogue.rules import (
    CATALOGUE_FIELDS,
    ORGANISATION_FIELDS,
    clean_organisation_row,
    clean_proposal_row,
)
from tracker.catalogue.wording import WordingPreview, WordingRefused, preview_wording
from tracker.clock import now
from tracker.db.models import Organisation, Proposal, ProposalChange
from tracker.db.unit_of_work import action, mark_changed
from tracker.domain.permissions import Action, Actor, require
from tracker.errors import Conflict, ValidationError


@action
def load_organisations(session: Session, actor: Actor, rows: Iterable[Mapping[str, str]]) -> int:
    """Create or update organisations by code, each change in the audit log.
    Returns how many changed."""
    require(actor, Action.LOAD_DATA)
    cleaned = [clean_organisation_row(row, line) for line, row in enumerate(rows, start=2)]
    existing = {org.code: org for org in session.scalars(select(Organisation))}
    at = now()
    changed = 0
    for row in cleaned:
        org = existing.get(str(row["code"]))
        if org is None:
            session.add(Organisation(**row))
            changes = {f: (None, row[f]) for f in ("code", *ORGANISATION_FIELDS)}
        else:
            changes = {f: (getattr(org, f), row[f]) for f in ORGANISATION_FIELDS}
            changes = {f: (old, new) for f, (old, new) in changes.items() if old != new}
            if not changes:
                continue
            for field, (_, new) in changes.items():
                setattr(org, field, new)
        audit.record(
            session, actor, "organisation.load", "organisation", row["code"], changes, at=at
        )
        changed += 1
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
) -> ProposalChange:
    row = ProposalChange(
        proposal_id=proposal.id,
        changed_at=at,
        author=actor.name,
        field=field,
        old_value=None if old in (None, "") else str(old),
        new_value=None if new in (None, "") else str(new),
        origin=origin,
    )
    session.add(row)
    return row


@action
def load_proposals(
    session: Session,
    actor: Actor,
    rows: Iterable[Mapping[str, str]],
    *,
    at: datetime | None = None,
    origin: str = "catalogue",
) -> int:
    """Create or update the catalogue by proposal number, keeping each change
    in history and in the audit log. Nothing is written unless every row is
    valid. Returns how many proposals were created or changed."""
    require(actor, Action.EDIT_CATALOGUE)
    at = at or now()
    written = _write_catalogue(session, actor, rows, at=at, origin=origin)
    for number, changes in written.items():
        _audit_history(session, actor, "proposal.catalogue", number, changes, at, origin=origin)
    return len(written)


def _write_catalogue(
    session: Session,
    actor: Actor,
    rows: Iterable[Mapping[str, str]],
    *,
    at: datetime,
    origin: str,
) -> dict[int, list[ProposalChange]]:
    """Write catalogue rows; the history rows each proposal's change wrote, by
    number: exactly the rows this unit of work wrote, never another writer's."""
    cleaned = [clean_proposal_row(row, line) for line, row in enumerate(rows, start=2)]
    numbers = [row["number"] for row in cleaned]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise ValidationError("error.duplicate_number", value=duplicates[0])
    existing = {p.number: p for p in session.scalars(select(Proposal))}
    written: dict[int, list[ProposalChange]] = {}
    for row in cleaned:
        number = int(row["number"])  # type: ignore[arg-type]
        proposal = existing.get(number)
        if proposal is None:
            proposal = Proposal(**row)
            session.add(proposal)
            session.flush()
            written[number] = [
                _record(session, proposal, actor, at, field, None, row[field], origin)
                for field in CATALOGUE_FIELDS
                if row[field]
            ]
            continue
        diffs = [f for f in CATALOGUE_FIELDS if (getattr(proposal, f) or "") != row[f]]
        changes = []
        for field in diffs:
            old = getattr(proposal, field)
            changes.append(_record(session, proposal, actor, at, field, old, row[field], origin))
            setattr(proposal, field, row[field])
        if changes:
            written[number] = changes
    if written:
        mark_changed(session)
        session.flush()
    return written


def _audit_history(
    session: Session,
    actor: Actor,
    action: str,
    number: int,
    rows: list[ProposalChange],
    at: datetime,
    *,
    origin: str = "ui",
) -> None:
    if rows:
        audit.record(
            session,
            actor,
            action,
            "proposal",
            number,
            {row.field: (row.old_value, row.new_value) for row in rows},
            at=at,
            origin=origin,
        )


@action
def edit_wording(
    session: Session,
    actor: Actor,
    number: int,
    changes: Mapping[str, str],
    *,
    expected_version: int,
    at: datetime | None = None,
) -> int:
    """An administrator's correction of a proposal's catalogue wording."""
    require(actor, Action.EDIT_CATALOGUE)
    at = at or now()
    proposal = get_proposal(session, number)
    if proposal.version != expected_version:
        raise Conflict("error.edited_meanwhile", number=number)
    row = {field: getattr(proposal, field) or "" for field in CATALOGUE_FIELDS}
    row.update({k: v for k, v in changes.items() if k in CATALOGUE_FIELDS})
    row["number"] = str(number)
    written = _write_catalogue(session, actor, [row], at=at, origin="ui")
    _audit_history(session, actor, "proposal.wording", number, written.get(number, []), at)
    return len(written)


@action
def save_organisation(
    session: Session,
    actor: Actor,
    row: Mapping[str, str],
    *,
    at: datetime | None = None,
) -> Organisation:
    """Create or correct one organisation, by code."""
    require(actor, Action.MANAGE_ORGANISATIONS)
    at = at or now()
    cleaned = clean_organisation_row(row, line=1)
    organisation = session.scalar(select(Organisation).where(Organisation.code == cleaned["code"]))
    if organisation is None:
        organisation = Organisation(**cleaned)
        session.add(organisation)
        changes = {f: (None, cleaned[f]) for f in ("code", *ORGANISATION_FIELDS)}
    else:
        changes = {f: (getattr(organisation, f), cleaned[f]) for f in ORGANISATION_FIELDS}
        for field in ORGANISATION_FIELDS:
            setattr(organisation, field, cleaned[field])
    if siren := cleaned.get("siren"):
        other = session.scalar(
            select(Organisation).where(
                Organisation.siren == siren, Organisation.code != cleaned["code"]
            )
        )
        if other is not None:
            raise ValidationError("admin.siren_taken", value=siren)
    session.flush()
    audit.record(
        session, actor, "organisation.save", "organisation", cleaned["code"], changes, at=at
    )
    return organisation


@action
def import_wording(
    session: Session,
    actor: Actor,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    lines: Sequence[int],
    *,
    at: datetime | None = None,
) -> WordingPreview:
    """Load the twenty proposals' wording from a file's rows: every change in
    one transaction, each with its history row and an audit row per proposal;
    nothing at all when the file is refused (`WordingRefused`, every reason)."""
    require(actor, Action.EDIT_CATALOGUE)
    preview = preview_wording(session, header, rows, lines)
    if not preview.ok:
        raise WordingRefused(preview.problems)
    if not preview.changes:
        return preview
    at = at or now()
    changed = set(preview.proposals)
    written = _write_catalogue(
        session,
        actor,
        [{k: str(v) for k, v in row.items()} for row in preview.rows if row["number"] in changed],
        at=at,
        origin="wording_file",
    )
    for number, changes in written.items():
        _audit_history(
            session, actor, "proposal.wording_file", number, changes, at, origin="wording_file"
        )
    return preview
