"""Changing a proposal's follow-up: status, progress, owners, dates, next steps.

The `edit_followup` action is the interface's way in: it owns its transaction.
Inside it, and inside the seeder's and the importer's own transactions,
`update_followup` does the work — permission, validation, history and audit
rows — so that none of them is ever skipped, whoever writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.catalogue.actions import _audit_history
from tracker.catalogue.queries import get_proposal
from tracker.clock import now
from tracker.db.models import Organisation, Proposal, ProposalChange
from tracker.db.unit_of_work import action, mark_changed
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.rules import normalise_progress
from tracker.domain.vocabulary import Status
from tracker.errors import Conflict, ValidationError
from tracker.followup.rules import (
    DATE_FIELDS,
    FOLLOWUP_FIELDS,
    MAX_COMMENT,
    MAX_TEXT,
    TEXT_FIELDS,
    _as_date,
    _codes,
)


def _organisation_codes(session: Session, codes: Sequence[str]) -> dict[str, int]:
    """The ids of the organisations among `codes` (only those: a national
    database has ten thousand, and a grid save updates twenty proposals)."""
    if not codes:
        return {}
    return dict(
        session.execute(
            select(Organisation.code, Organisation.id).where(Organisation.code.in_(set(codes)))
        ).all()
    )


def serialise(proposal: Proposal, field: str, session: Session) -> str | None:
    """The value of a follow-up field as history stores it (text, or None)."""
    if field == "lead_owner":
        if proposal.lead_owner_id is None:
            return None
        return session.scalar(
            select(Organisation.code).where(Organisation.id == proposal.lead_owner_id)
        )
    value = getattr(proposal, field)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def update_followup(
    session: Session,
    actor: Actor,
    number: int,
    changes: Mapping[str, object],
    *,
    at: datetime | None = None,
    comment_fr: str = "",
    comment_en: str = "",
    origin: str = "ui",
    expected_version: int | None = None,
    review_session_id: int | None = None,
) -> list[ProposalChange]:
    """Apply `changes` to proposal `number` and record each changed field
    (linked to the working group's session `review_session_id` when given).

    A change of status (or of progress) counts as an assessment: the date of
    last assessment becomes the day of the change unless given. Returns the
    history rows written (none when nothing actually changed).
    """
    for name, comment in (("comment_fr", comment_fr), ("comment_en", comment_en)):
        if len(comment or "") > MAX_COMMENT:
            raise ValidationError("error.text_too_long", field=name, limit=MAX_COMMENT)
    require(actor, Action.EDIT_FOLLOWUP)
    unknown = set(changes) - set(FOLLOWUP_FIELDS)
    if unknown:
        raise ValidationError("error.unknown_field", field=", ".join(sorted(unknown)))
    at = at or now()
    proposal = get_proposal(session, number)
    if expected_version is not None and proposal.version != expected_version:
        raise Conflict("error.edited_meanwhile", number=number)

    before = {field: serialise(proposal, field, session) for field in FOLLOWUP_FIELDS}

    status = Status.parse(changes.get("status", proposal.status))
    if status is None:
        raise ValidationError("error.bad_status", value=changes.get("status"))
    progress_input = changes.get("progress", proposal.progress)
    if (
        "status" in changes
        and "progress" not in changes
        and status
        in (
            Status.NON_EVALUEE,
            Status.NON_ENGAGEE,
            Status.REALISEE,
        )
    ):
        progress_input = None  # the status alone decides the progress
    progress = normalise_progress(status, progress_input)

    named = [
        *(_codes(changes["lead_owner"]) if "lead_owner" in changes else ()),
        *(_codes(changes["co_owners"]) if "co_owners" in changes else ()),
    ]
    owners = _organisation_codes(session, named)
    if "lead_owner" in changes:
        lead = _codes(changes["lead_owner"])
        if len(lead) > 1:
            raise ValidationError("error.one_lead_owner")
        if lead and lead[0] not in owners:
            raise ValidationError("error.unknown_organisation", value=lead[0])
        proposal.lead_owner_id = owners[lead[0]] if lead else None
    if "co_owners" in changes:
        co_owners = _codes(changes["co_owners"])
        missing = [code for code in co_owners if code not in owners]
        if missing:
            raise ValidationError("error.unknown_organisation", value=", ".join(missing))
        proposal.co_owners = "|".join(co_owners)

    for field in DATE_FIELDS:
        if field in changes:
            setattr(proposal, field, _as_date(field, changes[field]))
    for field in TEXT_FIELDS:
        if field in changes:
            text = "" if changes[field] is None else str(changes[field]).strip()
            if len(text) > MAX_TEXT:
                raise ValidationError("error.text_too_long", field=field, limit=MAX_TEXT)
            setattr(proposal, field, text)

    proposal.status = status.value
    proposal.progress = progress
    assessed = (
        status.value != before["status"]
        or (str(progress) if progress is not None else None) != before["progress"]
    )
    if assessed and "last_assessed_on" not in changes and status.is_assessed:
        proposal.last_assessed_on = at.date()
    rows = []
    for field in FOLLOWUP_FIELDS:
        after = serialise(proposal, field, session)
        if after != before[field]:
            rows.append(
                ProposalChange(
                    proposal_id=proposal.id,
                    changed_at=at,
                    author=actor.name,
                    field=field,
                    old_value=before[field],
                    new_value=after,
                    comment_fr=comment_fr,
                    comment_en=comment_en,
                    origin=origin,
                    review_session_id=review_session_id,
                )
            )
    if rows:
        session.add_all(rows)
        mark_changed(session)
        session.flush()
    return rows


@action
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
