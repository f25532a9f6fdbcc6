"""Local authorities' contributions: writing, submitting, reviewing, reading.

Every function that changes data takes the acting user, checks what that user
may do (a contributor only for its own organisation), validates the fields,
refuses a save made on a stale version (`expected_version`), and records the
change in the audit log, in the caller's transaction.

The public sees only validated versions (`ContributionVersion`): when the
author edits a validated contribution it goes back to review, and the public
keeps seeing what was validated until the secretariat validates again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker import audit
from tracker.clock import now
from tracker.contributions.queries import get, has_validated_version
from tracker.contributions.rules import (
    EDITABLE_FIELDS,
    PUBLIC_FIELDS,
    clean_fields,
    field_errors,
)
from tracker.db import bulk
from tracker.db.models import Contribution, ContributionVersion, Organisation, Proposal
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.vocabulary import ContributionState, Role
from tracker.errors import Conflict, PermissionDenied, TrackerError, ValidationError
from tracker.mail import notifications
from tracker.mail.rules import Kind

MAX_COMMENT = 5000


def _proposal_number(number: object) -> int:
    if number is None or not str(number).strip():
        raise ValidationError("contrib.required", field="proposal", value="")
    try:
        return int(str(number).strip())
    except (TypeError, ValueError):
        raise ValidationError("contrib.bad_proposal", field="proposal", value=str(number)) from None


def _proposal_id(session: Session, number: object) -> int:
    value = _proposal_number(number)
    proposal_id = session.scalar(select(Proposal.id).where(Proposal.number == value))
    if proposal_id is None:
        raise ValidationError("contrib.bad_proposal", field="proposal", value=value)
    return proposal_id


def _organisation_for(session: Session, actor: Actor, code: object) -> int:
    """The organisation a new contribution belongs to: a contributor's own, or
    the one an administrator names."""
    wanted = str(code or "").strip()
    if actor.role is Role.CONTRIBUTOR:
        if actor.organisation_id is None:
            raise PermissionDenied("contrib.no_organisation")
        if wanted:
            org_id = session.scalar(select(Organisation.id).where(Organisation.code == wanted))
            if org_id != actor.organisation_id:
                raise PermissionDenied("contrib.not_your_organisation", field="organisation")
        return actor.organisation_id
    if not wanted:
        raise ValidationError("contrib.required", field="organisation", value="")
    org_id = session.scalar(select(Organisation.id).where(Organisation.code == wanted))
    if org_id is None:
        raise ValidationError("error.unknown_organisation", field="organisation", value=wanted)
    return org_id


def _all_at_once(errors: list[ValidationError]) -> ValidationError:
    """The first error, carrying every one (`problems`): a form shows them all,
    each beside its field, instead of one per attempt."""
    first = errors[0]
    first.problems = list(errors)  # type: ignore[attr-defined]
    return first


def _require_owner(actor: Actor, contribution: Contribution) -> None:
    require(actor, Action.CONTRIBUTE)
    if actor.role is Role.CONTRIBUTOR and contribution.organisation_id != actor.organisation_id:
        raise PermissionDenied("contrib.not_your_organisation", field="id")


def _check_version(contribution: Contribution, expected_version: int | None) -> None:
    if expected_version is not None and contribution.version != expected_version:
        raise Conflict("contrib.edited_meanwhile", id=contribution.id)


def _own_current(
    session: Session, actor: Actor, contribution_id: object, expected_version: int | None
) -> Contribution:
    """The contribution an author acts on: theirs, and as they last saw it."""
    contribution = get(session, contribution_id)
    _require_owner(actor, contribution)
    _check_version(contribution, expected_version)
    return contribution


def _flush(session: Session, contribution: Contribution) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("contrib.edited_meanwhile", id=contribution.id) from None


def _snapshot(contribution: Contribution) -> dict[str, object]:
    return {field: getattr(contribution, field) for field in EDITABLE_FIELDS}


@action
def create(
    session: Session,
    actor: Actor,
    fields: Mapping[str, object],
    *,
    at: datetime | None = None,
    origin: str = "ui",
    submit: bool = False,
) -> Contribution:
    """A new draft for `fields["proposal"]` (a proposal number), sent to review
    at once with `submit=True` (one intent: "save and submit")."""
    require(actor, Action.CONTRIBUTE)
    at = at or now()
    errors: list[ValidationError] = []
    try:
        proposal_id = _proposal_id(session, fields.get("proposal"))
    except ValidationError as error:
        errors.append(error)
    try:
        organisation_id = _organisation_for(session, actor, fields.get("organisation"))
    except ValidationError as error:
        errors.append(error)
    values, invalid = field_errors(fields)
    errors += invalid
    if errors:
        raise _all_at_once(errors)
    contribution = Contribution(
        proposal_id=proposal_id,
        organisation_id=organisation_id,
        state=ContributionState.DRAFT.value,
        review_comment="",
        created_by=actor.account,
        created_at=at,
        updated_at=at,
        **values,
    )
    session.add(contribution)
    session.flush()
    audit.record(
        session,
        actor,
        "contribution.create",
        "contribution",
        contribution.id,
        {"state": (None, contribution.state), **{f: (None, v) for f, v in values.items()}},
        at=at,
        origin=origin,
    )
    if submit:
        return _submit(session, actor, contribution, at=at, origin=origin)
    return contribution


@dataclass(frozen=True)
class Created:
    """What `create_many` did: the new ids, in the order given, or, when any
    item was refused, the refusals by position (and nothing written)."""

    ids: list[int]
    valid: int
    refused: dict[int, TrackerError]


BULK_BATCH = 1_000


def _write_batch(session: Session, rows: list[dict[str, object]]) -> list[int]:
    """Insert new contributions at once (`db.bulk`); their ids, in order."""
    table = Contribution.__table__
    ids = bulk.next_ids(session, table, len(rows))
    bulk.insert_rows(session, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


@action
def create_many(
    session: Session,
    actor: Actor,
    items: Sequence[Mapping[str, object]],
    *,
    at: datetime | None = None,
    origin: str = "import",
    submit: bool = False,
) -> Created:
    """New drafts (submitted ones with `submit`) in bulk, with exactly the
    rules, errors and audit rows of `create` (and `submit`) item by item, but
    one look-up of the proposals and of each organisation named, and rows
    written in batches. All or nothing: if any item is refused, nothing is
    written and every refusal comes back."""
    require(actor, Action.CONTRIBUTE)
    at = at or now()
    proposal_ids = dict(session.execute(select(Proposal.number, Proposal.id)).tuples().all())
    organisations: dict[str, int | TrackerError] = {}
    refused: dict[int, TrackerError] = {}
    prepared: list[tuple[int, int, dict[str, object]]] = []
    for position, fields in enumerate(items):
        try:
            number = _proposal_number(fields.get("proposal"))
            if number not in proposal_ids:
                raise ValidationError("contrib.bad_proposal", field="proposal", value=number)
            code = str(fields.get("organisation") or "").strip()
            if code not in organisations:
                try:
                    organisations[code] = _organisation_for(session, actor, code)
                except TrackerError as error:
                    organisations[code] = error
            organisation = organisations[code]
            if isinstance(organisation, TrackerError):
                raise organisation
            prepared.append((proposal_ids[number], organisation, clean_fields(fields)))
        except TrackerError as error:
            refused[position] = error
    if refused:
        return Created([], len(prepared), refused)
    state = ContributionState.SUBMITTED if submit else ContributionState.DRAFT
    rows = [
        {
            "proposal_id": proposal_id,
            "organisation_id": organisation_id,
            "state": state.value,
            "review_comment": "",
            "created_by": actor.account,
            "created_at": at,
            "updated_at": at,
            "submitted_at": at if submit else None,
            "version": 2 if submit else 1,  # as `create` then `submit` leave it
            **values,
        }
        for proposal_id, organisation_id, values in prepared
    ]
    ids: list[int] = []
    for start in range(0, len(rows), BULK_BATCH):
        ids += _write_batch(session, rows[start : start + BULK_BATCH])
    draft = ContributionState.DRAFT.value
    trail: list[dict[str, object]] = []
    for contribution_id, (_, _, values) in zip(ids, prepared, strict=True):
        created = {"state": (None, draft), **{f: (None, v) for f, v in values.items()}}
        trail += audit.entries(
            actor,
            "contribution.create",
            "contribution",
            contribution_id,
            created,
            at=at,
            origin=origin,
        )
        if submit:
            trail += audit.entries(
                actor,
                "contribution.submit",
                "contribution",
                contribution_id,
                {"state": (draft, state.value)},
                at=at,
                origin=origin,
            )
    audit.record_many(session, actor, trail)
    if submit:  # one message for the whole batch
        notifications.contributions_submitted(session, ids, at=at, origin=origin)
    return Created(ids, len(ids), {})


@action
def update(
    session: Session,
    actor: Actor,
    contribution_id: object,
    fields: Mapping[str, object],
    *,
    expected_version: int | None = None,
    at: datetime | None = None,
    origin: str = "ui",
    submit: bool = False,
) -> Contribution:
    """Edit a contribution's fields. A validated one goes back to review; with
    `submit=True` a draft or a returned one is sent to review in the same
    transaction (one intent: "save and submit")."""
    at = at or now()
    contribution = _own_current(session, actor, contribution_id, expected_version)
    errors: list[ValidationError] = []
    proposal_id = contribution.proposal_id
    if "proposal" in fields and str(fields["proposal"] or "").strip():
        try:
            proposal_id = _proposal_id(session, fields["proposal"])
        except ValidationError as error:
            errors.append(error)
    organisation_code = str(fields.get("organisation") or "").strip()
    if organisation_code:
        current = session.get(Organisation, contribution.organisation_id)
        if current is None or organisation_code != current.code:
            errors.append(
                ValidationError(
                    "contrib.organisation_fixed", field="organisation", value=organisation_code
                )
            )
    merged = {
        **_snapshot(contribution),
        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS},
    }
    values, invalid = field_errors(merged)
    errors += invalid
    if errors:
        raise _all_at_once(errors)
    before = {**_snapshot(contribution), "proposal_id": contribution.proposal_id}
    after = {**values, "proposal_id": proposal_id}
    changes = {f: (before[f], after[f]) for f in after if before[f] != after[f]}
    if not changes:
        return _submit_if(session, actor, contribution, submit, at=at, origin=origin)
    for field, value in values.items():
        setattr(contribution, field, value)
    contribution.proposal_id = proposal_id
    contribution.updated_at = at
    state = ContributionState(contribution.state)
    if state is ContributionState.VALIDATED:
        contribution.state = ContributionState.RESUBMITTED.value
        contribution.submitted_at = at
        changes["state"] = (state.value, contribution.state)
    _flush(session, contribution)
    audit.record(
        session,
        actor,
        "contribution.update",
        "contribution",
        contribution.id,
        changes,
        at=at,
        origin=origin,
    )
    return _submit_if(session, actor, contribution, submit, at=at, origin=origin)


@action
def delete(
    session: Session,
    actor: Actor,
    contribution_id: object,
    *,
    expected_version: int | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> None:
    """Delete a draft (or a returned contribution) that was never validated."""
    at = at or now()
    contribution = _own_current(session, actor, contribution_id, expected_version)
    state = ContributionState(contribution.state)
    if not state.may_delete or has_validated_version(session, contribution.id):
        raise Conflict("contrib.cannot_delete", id=contribution.id)
    audit.record(
        session,
        actor,
        "contribution.delete",
        "contribution",
        contribution.id,
        {f: (v, None) for f, v in _snapshot(contribution).items()},
        at=at,
        origin=origin,
    )
    session.delete(contribution)
    _flush(session, contribution)


@action
def submit(
    session: Session,
    actor: Actor,
    contribution_id: object,
    *,
    expected_version: int | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> Contribution:
    """Send a draft (or a returned contribution) to the secretariat's review."""
    at = at or now()
    contribution = _own_current(session, actor, contribution_id, expected_version)
    return _submit(session, actor, contribution, at=at, origin=origin)


def _submit_if(
    session: Session,
    actor: Actor,
    contribution: Contribution,
    wanted: bool,
    *,
    at: datetime,
    origin: str,
) -> Contribution:
    """Submitted too if `wanted` and its state allows it (a validated one that
    was edited already awaits review)."""
    if wanted and ContributionState(contribution.state).may_submit:
        return _submit(session, actor, contribution, at=at, origin=origin)
    return contribution


def _submit(
    session: Session, actor: Actor, contribution: Contribution, *, at: datetime, origin: str
) -> Contribution:
    state = ContributionState(contribution.state)
    if not state.may_submit:
        raise Conflict("contrib.bad_transition", id=contribution.id, state=state.value)
    new = state.once_submitted
    contribution.state = new.value
    contribution.submitted_at = at
    contribution.updated_at = at
    _flush(session, contribution)
    audit.record(
        session,
        actor,
        "contribution.submit",
        "contribution",
        contribution.id,
        {"state": (state.value, new.value)},
        at=at,
        origin=origin,
    )
    notifications.contributions_submitted(session, [contribution.id], at=at, origin=origin)
    return contribution


def _awaiting_review(contribution: Contribution) -> ContributionState:
    state = ContributionState(contribution.state)
    if not state.awaits_review:
        raise Conflict("contrib.bad_transition", id=contribution.id, state=state.value)
    return state


@action
def validate(
    session: Session,
    actor: Actor,
    contribution_id: object,
    *,
    comment: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> ContributionVersion:
    """Validate a submitted contribution: its current fields become public."""
    require(actor, Action.REVIEW)
    at = at or now()
    contribution = get(session, contribution_id)
    _check_version(contribution, expected_version)
    state = _awaiting_review(contribution)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError("contrib.too_long", field="comment", limit=MAX_COMMENT)
    revision = (
        session.scalar(
            select(func.max(ContributionVersion.revision)).where(
                ContributionVersion.contribution_id == contribution.id
            )
        )
        or 0
    ) + 1
    version = ContributionVersion(
        contribution_id=contribution.id,
        revision=revision,
        proposal_id=contribution.proposal_id,
        organisation_id=contribution.organisation_id,
        validated_at=at,
        validated_by=actor.account,
        **{field: getattr(contribution, field) for field in PUBLIC_FIELDS},
    )
    session.add(version)
    contribution.state = ContributionState.VALIDATED.value
    contribution.review_comment = comment
    contribution.updated_at = at
    _flush(session, contribution)
    audit.record(
        session,
        actor,
        "contribution.validate",
        "contribution",
        contribution.id,
        {"state": (state.value, contribution.state), "revision": (revision - 1 or None, revision)},
        at=at,
        origin=origin,
    )
    notifications.contribution_reviewed(
        session, contribution, Kind.CONTRIBUTION_VALIDATED, comment, at=at, origin=origin
    )
    return version


@action
def send_back(
    session: Session,
    actor: Actor,
    contribution_id: object,
    *,
    comment: str,
    expected_version: int | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> Contribution:
    """Return a submitted contribution to its organisation, with a comment saying why."""
    require(actor, Action.REVIEW)
    at = at or now()
    contribution = get(session, contribution_id)
    _check_version(contribution, expected_version)
    state = _awaiting_review(contribution)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("review.comment_required", field="comment")
    if len(comment) > MAX_COMMENT:
        raise ValidationError("contrib.too_long", field="comment", limit=MAX_COMMENT)
    contribution.state = ContributionState.RETURNED.value
    contribution.review_comment = comment
    contribution.updated_at = at
    _flush(session, contribution)
    audit.record(
        session,
        actor,
        "contribution.return",
        "contribution",
        contribution.id,
        {"state": (state.value, contribution.state), "review_comment": (None, comment)},
        at=at,
        origin=origin,
    )
    notifications.contribution_reviewed(
        session, contribution, Kind.CONTRIBUTION_RETURNED, comment, at=at, origin=origin
    )
    return contribution
