"""The CNCD's review sessions: dates a reviewer records, so that a briefing can
say "since the last session" in one click.

`record_review_session` is the one way in, for the page, the CLI and the tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tracker.db.engine import transaction
from tracker.db.models import ReviewSession
from tracker.domain.text import plain_line
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.errors import Conflict, ValidationError
from tracker.i18n import t
from tracker.services import settings
from tracker.services.actors import Action, Actor, require

MAX_LABEL = 200
SESSION_COLUMNS = ["held_on", "label", "recorded_by", "recorded_at"]


def record_review_session(
    session: Session,
    actor: Actor,
    held_on: date,
    label: str,
    *,
    today: date | None = None,
    at: datetime | None = None,
) -> ReviewSession:
    """Record that the working group met on `held_on`. One session per day."""
    require(actor, Action.RECORD_REVIEW_SESSION)
    today = today or date.today()
    text = plain_line(label or "")
    if not text:
        raise ValidationError("session.error_label_missing")
    if len(text) > MAX_LABEL:
        raise ValidationError("session.error_label_too_long", limit=MAX_LABEL)
    if held_on < ADOPTION_DATE:
        raise ValidationError("session.error_before_adoption", adoption=ADOPTION_DATE.isoformat())
    if held_on > today:
        raise ValidationError("session.error_in_future", day=held_on.isoformat())
    if session.scalar(select(ReviewSession.id).where(ReviewSession.held_on == held_on)):
        raise Conflict("session.error_duplicate", day=held_on.isoformat())
    row = ReviewSession(
        held_on=held_on,
        label=text,
        recorded_by=actor.name,
        recorded_at=at or datetime.now(UTC),
    )
    session.add(row)
    settings.mark_changed(
        session,
        {"action": "review_session.add", "entity": "review_session", "entity_id": str(held_on)},
    )
    session.flush()
    return row


def review_sessions_frame(session: Session) -> pd.DataFrame:
    """Every recorded session, oldest first."""
    rows = session.scalars(select(ReviewSession).order_by(ReviewSession.held_on)).all()
    return pd.DataFrame.from_records(
        [{c: getattr(r, c) for c in SESSION_COLUMNS} for r in rows], columns=SESSION_COLUMNS
    )


def last_session_before(sessions: pd.DataFrame, day: date) -> date | None:
    """The latest session held strictly before `day` (a session held on the day
    of the briefing is the one being prepared, not the one to compare with)."""
    earlier = [d for d in sessions["held_on"] if d < day]
    return max(earlier) if earlier else None


def may_record(actor: Actor) -> bool:
    """Whether to offer `actor` the form at all (the service checks again)."""
    return actor.may(Action.RECORD_REVIEW_SESSION)


def add_review_session(engine: Engine, actor: Actor, held_on: date, label: str) -> None:
    """`record_review_session` in a transaction of its own (for the page)."""
    with transaction(engine) as session:
        record_review_session(session, actor, held_on, label)


def sessions_table(sessions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sessions as people read them, latest first."""
    latest = sessions.iloc[::-1]
    return pd.DataFrame(
        {
            t("session.col_date", lang): latest["held_on"].to_numpy(),
            t("session.col_label", lang): latest["label"].to_numpy(),
            t("session.col_recorded_by", lang): latest["recorded_by"].to_numpy(),
        }
    )
