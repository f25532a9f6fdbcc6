"""What administrators read about the outbox: queued, sent and failed messages."""

from __future__ import annotations

from email import message_from_string, policy

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.clock import aware
from tracker.db.models import OutboxMessage
from tracker.domain.permissions import Action, Actor, require
from tracker.errors import NotFound

OUTBOX_COLUMNS = [
    "id",
    "created_at",
    "state",
    "kind",
    "recipient",
    "language",
    "subject",
    "attempts",
    "next_attempt_at",
    "sent_at",
    "last_error",
    "message_id",
]


def outbox_frame(session: Session, actor: Actor, limit: int = 500) -> pd.DataFrame:
    """The latest messages, newest first (administrators only)."""
    require(actor, Action.MANAGE_ACCOUNTS)
    rows = session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    ).all()
    records = []
    for row in rows:
        record = {c: getattr(row, c) for c in OUTBOX_COLUMNS}
        for column in ("created_at", "next_attempt_at", "sent_at"):
            record[column] = aware(record[column])
        records.append(record)
    return pd.DataFrame.from_records(records, columns=OUTBOX_COLUMNS)


def outbox_counts(session: Session, actor: Actor) -> dict[str, int]:
    """How many messages are queued, sent and failed."""
    require(actor, Action.MANAGE_ACCOUNTS)
    rows = session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    ).all()
    return {state: count for state, count in rows}


def message_text(session: Session, actor: Actor, outbox_id: int) -> str:
    """A message's plain-text part, as its recipient reads it."""
    require(actor, Action.MANAGE_ACCOUNTS)
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound("mail.unknown_message", id=outbox_id)
    parsed = message_from_string(row.content, policy=policy.default)
    part = parsed.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
