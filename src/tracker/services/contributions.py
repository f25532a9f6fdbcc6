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
from datetime import UTC, date, datetime, time

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.db import bulk
from tracker.db.models import Contribution, ContributionVersion, Organisation, Proposal
from tracker.domain.contribution_rules import EDITABLE_FIELDS, PUBLIC_FIELDS, clean_fields
from tracker.domain.vocabulary import ContributionState, Role
from tracker.errors import Conflict, NotFound, PermissionDenied, TrackerError, ValidationError
from tracker.services import audit
from tracker.services.accounts import aware
from tracker.services.actors import Action, Actor, require
from tracker.services.followup import now

MAX_COMMENT = 5000
PUBLIC_COLUMNS = [
    "id",
    "proposal",
    "organisation",
    "organisation_name",
    "organisation_kind",
    *PUBLIC_FIELDS,
    "validated_at",
]
WORKING_COLUMNS = [
    "id",
    "proposal",
    "organisation",
    "organisation_name",
    "organisation_kind",
    "state",
    *EDITABLE_FIELDS,
    "review_comment",
    "created_by",
    "updated_at",
    "submitted_at",
    "version",
    "has_validated_version",
]


def _proposal_number(number: object) -> int:
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


def get(session: Session, contribution_id: object) -> Contribution:
    try:
        key = int(str(contribution_id).strip())
    except (TypeError, ValueError):
        raise NotFound("contrib.not_found", field="id", id=contribution_id) from None
    contribution = session.get(Contribution, key)
    if contribution is None:
        raise NotFound("contrib.not_found", field="id", id=key)
    return contribution


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


def create(
    session: Session,
    actor: Actor,
    fields: Mapping[str, object],
    *,
    at: datetime | None = None,
    origin: str = "ui",
) -> Contribution:
    """A new draft for `fields["proposal"]` (a proposal number)."""
    require(actor, Action.CONTRIBUTE)
    at = at or now()
    proposal_id = _proposal_id(session, fields.get("proposal"))
    organisation_id = _organisation_for(session, actor, fields.get("organisation"))
    values = clean_fields(fields)
    contribution = Contribution(
        proposal_id=proposal_id,
        organisation_id=organisation_id,
        state=ContributionState.DRAFT.value,
        review_comment="",
        created_by=actor.email or actor.name,
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
            "created_by": actor.email or actor.name,
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
    return Created(ids, len(ids), {})


def update(
    session: Session,
    actor: Actor,
    contribution_id: object,
    fields: Mapping[str, object],
    *,
    expected_version: int | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> Contribution:
    """Edit a contribution's fields. A validated one goes back to review."""
    at = at or now()
    contribution = _own_current(session, actor, contribution_id, expected_version)
    if "proposal" in fields and str(fields["proposal"]).strip():
        proposal_id = _proposal_id(session, fields["proposal"])
    else:
        proposal_id = contribution.proposal_id
    organisation_code = str(fields.get("organisation") or "").strip()
    if organisation_code:
        current = session.get(Organisation, contribution.organisation_id)
        if current is None or organisation_code != current.code:
            raise ValidationError(
                "contrib.organisation_fixed", field="organisation", value=organisation_code
            )
    merged = {
        **_snapshot(contribution),
        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS},
    }
    values = clean_fields(merged)
    before = {**_snapshot(contribution), "proposal_id": contribution.proposal_id}
    after = {**values, "proposal_id": proposal_id}
    changes = {f: (before[f], after[f]) for f in after if before[f] != after[f]}
    if not changes:
        return contribution
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
    return contribution


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
    if has_validated_version(session, contribution.id) or contribution.state not in (
        ContributionState.DRAFT.value,
        ContributionState.RETURNED.value,
    ):
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
    state = ContributionState(contribution.state)
    if state is ContributionState.DRAFT:
        new = ContributionState.SUBMITTED
    elif state is ContributionState.RETURNED:
        new = ContributionState.RESUBMITTED
    else:
        raise Conflict("contrib.bad_transition", id=contribution.id, state=state.value)
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
    return contribution


def _awaiting_review(contribution: Contribution) -> ContributionState:
    state = ContributionState(contribution.state)
    if not state.awaits_review:
        raise Conflict("contrib.bad_transition", id=contribution.id, state=state.value)
    return state


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
        validated_by=actor.email or actor.name,
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
    return version


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
    return contribution


# Reading -------------------------------------------------------------------


def end_of_day(day: date) -> datetime:
    """The last moment of `day` (UTC): a validation at 23:59 counts in that day."""
    return datetime.combine(day, time.max, tzinfo=UTC)


def has_validated_version(session: Session, contribution_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count(ContributionVersion.id)).where(
                ContributionVersion.contribution_id == contribution_id
            )
        )
    )


def _latest_versions(session: Session, until: date | None = None):
    """The latest validated version of each contribution (validated by the
    end of `until`, UTC, when given: what the public saw then)."""
    latest = select(
        ContributionVersion.contribution_id,
        func.max(ContributionVersion.revision).label("revision"),
    )
    if until is not None:
        latest = latest.where(ContributionVersion.validated_at <= end_of_day(until))
    latest = latest.group_by(ContributionVersion.contribution_id).subquery()
    return (
        select(ContributionVersion, Proposal.number, Organisation)
        .join(
            latest,
            (latest.c.contribution_id == ContributionVersion.contribution_id)
            & (latest.c.revision == ContributionVersion.revision),
        )
        .join(Proposal, Proposal.id == ContributionVersion.proposal_id)
        .join(Organisation, Organisation.id == ContributionVersion.organisation_id)
        .order_by(Proposal.number, ContributionVersion.contribution_id)
    )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole numbers stay whole (pandas would make 35 a float beside a None)."""
    frame["progress"] = frame["progress"].astype("Int64")
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


def public_frame(
    session: Session,
    *,
    number: int | None = None,
    limit: int | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """What anyone may see: the latest validated version of each contribution
    (to proposal `number`, the first `limit`; as the public saw it at the end
    of `until`). No contact, no state, no author."""
    query = _latest_versions(session, until)
    if number is not None:
        query = query.where(Proposal.number == number)
    if limit is not None:
        query = query.limit(limit)
    records = [
        {
            "id": version.contribution_id,
            "proposal": number,
            "organisation": organisation.code,
            "organisation_name": organisation.short_name,
            "organisation_kind": organisation.kind,
            **{field: getattr(version, field) for field in PUBLIC_FIELDS},
            "validated_at": aware(version.validated_at),
        }
        for version, number, organisation in session.execute(query).all()
    ]
    return _typed(pd.DataFrame.from_records(records, columns=PUBLIC_COLUMNS))


PUBLIC_COUNT_COLUMNS = ["proposal", "organisation_kind", "partner_country", "count"]


def public_counts(session: Session, until: date | None = None) -> pd.DataFrame:
    """The validated contributions (at the end of `until`) counted in the
    database by proposal, kind of organisation and partner country: what the
    charts need, a few hundred rows however many contributions there are."""
    versions = _latest_versions(session, until).order_by(None).subquery()
    query = (
        select(
            versions.c.number,
            versions.c.kind,
            versions.c.partner_country,
            func.count().label("count"),
        )
        .group_by(versions.c.number, versions.c.kind, versions.c.partner_country)
        .order_by(versions.c.number, versions.c.kind, versions.c.partner_country)
    )
    frame = pd.DataFrame.from_records(session.execute(query).all(), columns=PUBLIC_COUNT_COLUMNS)
    frame["count"] = frame["count"].astype(int)
    return frame


def public_total(session: Session, number: int | None = None, until: date | None = None) -> int:
    """How many contributions the public sees (to proposal `number`; saw at
    the end of `until`)."""
    versions = _latest_versions(session, until).order_by(None).subquery()
    query = select(func.count()).select_from(versions)
    if number is not None:
        query = query.where(versions.c.number == number)
    return int(session.scalar(query) or 0)


def working_frame(
    session: Session, actor: Actor, *, all_organisations: bool = False
) -> pd.DataFrame:
    """Working copies with their state and private fields.

    A contributor gets its own organisation's; a reviewer or an administrator
    gets every one when `all_organisations`, else none (they have no own).
    """
    query = (
        select(Contribution, Proposal.number, Organisation)
        .join(Proposal, Proposal.id == Contribution.proposal_id)
        .join(Organisation, Organisation.id == Contribution.organisation_id)
        .order_by(Contribution.updated_at.desc(), Contribution.id.desc())
    )
    if all_organisations:
        require(actor, Action.SEE_PRIVATE)
    else:
        require(actor, Action.CONTRIBUTE)
        if actor.role is Role.CONTRIBUTOR or actor.organisation_id is not None:
            query = query.where(Contribution.organisation_id == actor.organisation_id)
    validated = set(session.scalars(select(ContributionVersion.contribution_id).distinct()))
    records = [
        {
            "id": c.id,
            "proposal": number,
            "organisation": organisation.code,
            "organisation_name": organisation.short_name,
            "organisation_kind": organisation.kind,
            "state": c.state,
            **{field: getattr(c, field) for field in EDITABLE_FIELDS},
            "review_comment": c.review_comment,
            "created_by": c.created_by,
            "updated_at": aware(c.updated_at),
            "submitted_at": aware(c.submitted_at),
            "version": c.version,
            "has_validated_version": c.id in validated,
        }
        for c, number, organisation in session.execute(query).all()
    ]
    return _typed(pd.DataFrame.from_records(records, columns=WORKING_COLUMNS))


@dataclass(frozen=True)
class FieldChange:
    field: str
    validated: object
    proposed: object


@dataclass(frozen=True)
class QueueItem:
    contribution: dict[str, object]
    changes: list[FieldChange]  # against the last validated version; empty when never validated
    first_submission: bool


def review_queue(session: Session, actor: Actor) -> list[QueueItem]:
    """Contributions awaiting review, oldest submission first, each with what
    changed since its last validated version."""
    require(actor, Action.REVIEW)
    frame = working_frame(session, actor, all_organisations=True)
    waiting = frame[frame["state"].isin([s.value for s in ContributionState if s.awaits_review])]
    waiting = waiting.sort_values(["submitted_at", "id"], kind="stable")
    published = {row["id"]: row for row in public_frame(session).to_dict(orient="records")}
    items = []
    for row in waiting.to_dict(orient="records"):
        before = published.get(row["id"])
        changes = []
        if before is not None:
            changes = [
                FieldChange(field, before[field], row[field])
                for field in ("proposal", *PUBLIC_FIELDS)
                if _comparable(before[field]) != _comparable(row[field])
            ]
        items.append(QueueItem(row, changes, before is None))
    return items


def _comparable(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return str(value)


def contributions_of_proposal(public: pd.DataFrame, number: int) -> pd.DataFrame:
    return public[public["proposal"] == number].reset_index(drop=True)
