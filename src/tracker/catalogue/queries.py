"""queries (split from tracker.services.queries)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import Organisation, Proposal
from tracker.errors import NotFound

ORGANISATION_COLUMNS = ["code", "short_name", "full_name", "kind", "siren", "website"]


def organisations_frame(session: Session) -> pd.DataFrame:
    query = select(*(getattr(Organisation, c) for c in ORGANISATION_COLUMNS)).order_by(
        Organisation.short_name
    )
    frame = pd.DataFrame.from_records(session.execute(query).all(), columns=ORGANISATION_COLUMNS)
    return _text_with_none(frame, ORGANISATION_COLUMNS)


def _text_with_none(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Text columns as Python objects with None for missing values (pandas 3
    would otherwise store NaN, which is truthy and not a string)."""
    for column in columns:
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna(), None)
    return frame


def get_proposal(session: Session, number: int) -> Proposal:
    proposal = session.scalar(select(Proposal).where(Proposal.number == number))
    if proposal is None:
        raise NotFound("error.proposal_not_found", number=number)
    return proposal
