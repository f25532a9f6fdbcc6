"""The CNCD's review sessions: dates a reviewer records, so that a briefing can
say "since the last session" in one click.

`record_review_session` is the one way in, for the page, the CLI and the tests:
it writes the session and its audit row, recording the account that acted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import audit, clock
from tracker.clock import now
from tracker.db.models import ReviewSession
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.text import plain_line
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.errors import Conflict, ValidationError

MAX_LABEL = 200


@action
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
    today = today or clock.today()
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
    at = at or now()
    row = ReviewSession(held_on=held_on, label=text, recorded_by=actor.account, recorded_at=at)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "review_session.add",
        "review_session",
        held_on.isoformat(),
        {"held_on": (None, held_on), "label": (None, text)},
        at=at,
    )
    return row
