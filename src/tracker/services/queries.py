"""Reading the data as pandas frames: one query per table, no rule applied here."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import Organisation, Proposal, ProposalChange
from tracker.services.followup import FOLLOWUP_FIELDS

PROPOSAL_COLUMNS = [
    "number",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "primary_theme",
    "secondary_themes",
    "report_reference",
    "wording_status",
    "source_url",
    "lead_owner",
    "co_owners",
    "status",
    "progress",
    "target_date",
    "last_assessed_on",
    "next_steps_fr",
    "next_steps_en",
    "blockers_fr",
    "blockers_en",
    "version",
]
HISTORY_COLUMNS = [
    "number",
    "changed_at",
    "author",
    "field",
    "old_value",
    "new_value",
    "comment_fr",
    "comment_en",
    "origin",
]
ORGANISATION_COLUMNS = ["code", "short_name", "full_name", "kind", "siren", "website"]


def _text_with_none(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Text columns as Python objects with None for missing values (pandas 3
    would otherwise store NaN, which is truthy and not a string)."""
    for column in columns:
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna(), None)
    return frame


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    text = [
        c
        for c in PROPOSAL_COLUMNS
        if c not in ("number", "progress", "version", "target_date", "last_assessed_on")
    ]
    _text_with_none(frame, text)
    frame["progress"] = frame["progress"].astype("Int64")
    for column in ("target_date", "last_assessed_on"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def proposals_frame(session: Session) -> pd.DataFrame:
    """Every proposal, catalogue and follow-up fields, one row each, by number."""
    rows = session.execute(
        select(Proposal, Organisation.code)
        .outerjoin(Organisation, Organisation.id == Proposal.lead_owner_id)
        .order_by(Proposal.number)
    ).all()
    records = []
    for proposal, lead_code in rows:
        record = {c: getattr(proposal, c) for c in PROPOSAL_COLUMNS if c != "lead_owner"}
        record["lead_owner"] = lead_code
        records.append(record)
    return _typed(pd.DataFrame.from_records(records, columns=PROPOSAL_COLUMNS))


def organisations_frame(session: Session) -> pd.DataFrame:
    rows = session.scalars(select(Organisation).order_by(Organisation.short_name)).all()
    frame = pd.DataFrame.from_records(
        [{c: getattr(o, c) for c in ORGANISATION_COLUMNS} for o in rows],
        columns=ORGANISATION_COLUMNS,
    )
    return _text_with_none(frame, ORGANISATION_COLUMNS)


def history_frame(session: Session, number: int | None = None) -> pd.DataFrame:
    """Changes in the order they happened (oldest first)."""
    query = (
        select(Proposal.number, ProposalChange)
        .join(Proposal, Proposal.id == ProposalChange.proposal_id)
        .order_by(ProposalChange.changed_at, ProposalChange.id)
    )
    if number is not None:
        query = query.where(Proposal.number == number)
    records = [
        {"number": n, **{c: getattr(change, c) for c in HISTORY_COLUMNS if c != "number"}}
        for n, change in session.execute(query).all()
    ]
    frame = pd.DataFrame.from_records(records, columns=HISTORY_COLUMNS)
    _text_with_none(
        frame, ["author", "field", "old_value", "new_value", "comment_fr", "comment_en", "origin"]
    )
    frame["changed_at"] = pd.to_datetime(frame["changed_at"], utc=True)
    return frame


def followup_history(history: pd.DataFrame) -> pd.DataFrame:
    """Only the follow-up changes (not catalogue wording)."""
    return history[history["field"].isin(FOLLOWUP_FIELDS)]
