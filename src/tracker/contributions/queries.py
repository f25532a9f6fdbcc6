"""queries (split from tracker.services.contributions)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.clock import aware, end_of_day
from tracker.contributions.rules import EDITABLE_FIELDS, PUBLIC_FIELDS
from tracker.db.models import Contribution, ContributionVersion, Organisation, Proposal
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.vocabulary import ContributionState, Role
from tracker.errors import NotFound

# Which contribution, to what and by whom: the first columns of every frame.
IDENTITY_COLUMNS = ["id", "proposal", "organisation", "organisation_name", "organisation_kind"]

# The public contribution's columns: the one declaration (its versions in
# `history.VERSION_COLUMNS`, the open data schema and the API follow it).
PUBLIC_COLUMNS = [*IDENTITY_COLUMNS, *PUBLIC_FIELDS, "validated_at"]


WORKING_COLUMNS = [
    *IDENTITY_COLUMNS,
    "state",
    *EDITABLE_FIELDS,
    "review_comment",
    "created_by",
    "updated_at",
    "submitted_at",
    "version",
    "has_validated_version",
]


def get(session: Session, contribution_id: object) -> Contribution:
    try:
        key = int(str(contribution_id).strip())
    except (TypeError, ValueError):
        raise NotFound("contrib.not_found", field="id", id=contribution_id) from None
    contribution = session.get(Contribution, key)
    if contribution is None:
        raise NotFound("contrib.not_found", field="id", id=key)
    return contribution


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
    duplicates: tuple[int, ...] = ()  # probable duplicates: their ids


CLOSE_DAYS = 90  # start dates this close make two contributions probably one


def _word_key(value: object) -> str:
    words = "".join(
        c for c in unicodedata.normalize("NFKD", str(value or "")) if c.isalnum() or c == " "
    )
    return " ".join(words.casefold().split())


def _close(first: object, second: object) -> bool:
    if not isinstance(first, date) or not isinstance(second, date):
        return first is None and second is None
    return abs((first - second).days) <= CLOSE_DAYS


def probable_duplicates(frame: pd.DataFrame, row: dict[str, object]) -> tuple[int, ...]:
    """Other contributions of the same organisation and proposal, with the same
    partner (or the same title) and close start dates."""
    others = frame[
        (frame["organisation"] == row["organisation"])
        & (frame["proposal"] == row["proposal"])
        & (frame["id"] != row["id"])
    ]
    partner = (row.get("partner_country") or "", _word_key(row.get("partner_authority")))
    title = _word_key(row.get("title"))
    found = []
    for other in others.to_dict(orient="records"):
        same_partner = any(partner) and partner == (
            other.get("partner_country") or "",
            _word_key(other.get("partner_authority")),
        )
        if (same_partner or title == _word_key(other.get("title"))) and _close(
            row.get("start_date"), other.get("start_date")
        ):
            found.append(int(other["id"]))
    return tuple(sorted(found))


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
        items.append(QueueItem(row, changes, before is None, probable_duplicates(frame, row)))
    return items


def _comparable(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return str(value)
