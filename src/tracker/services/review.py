"""The secretariat's and the administrators' edits, each written to the audit log.

The follow-up and catalogue rules stay in `followup` and `catalogue`; these
functions add what the audit log needs (the acting account, old → new), in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import Organisation, ProposalChange
from tracker.errors import Conflict, ValidationError
from tracker.services import audit
from tracker.services.actors import Action, Actor, require
from tracker.services.catalogue import (
    ORGANISATION_FIELDS,
    clean_organisation_row,
    edit_proposal_wording,
)
from tracker.services.followup import get_proposal, now, update_followup


def _audit_history(
    session: Session, actor: Actor, action: str, number: int, rows: list[ProposalChange], at
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
        )


def edit_followup(
    session: Session,
    actor: Actor,
    number: int,
    changes: Mapping[str, object],
    *,
    expected_version: int,
    comment_fr: str = "",
    comment_en: str = "",
    at: datetime | None = None,
) -> list[ProposalChange]:
    """A reviewer's edit of a proposal's follow-up, refused if someone saved first."""
    at = at or now()
    rows = update_followup(
        session,
        actor,
        number,
        changes,
        at=at,
        comment_fr=comment_fr,
        comment_en=comment_en,
        origin="ui",
        expected_version=expected_version,
    )
    _audit_history(session, actor, "proposal.followup", number, rows, at)
    return rows


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
    if get_proposal(session, number).version != expected_version:
        raise Conflict("error.edited_meanwhile", number=number)
    last_before = session.scalar(select(func.max(ProposalChange.id))) or 0
    changed = edit_proposal_wording(session, actor, number, changes, at=at)
    session.flush()
    rows = list(
        session.scalars(
            select(ProposalChange)
            .where(ProposalChange.id > last_before)
            .order_by(ProposalChange.id)
        )
    )
    _audit_history(session, actor, "proposal.wording", number, rows, at)
    return changed


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
