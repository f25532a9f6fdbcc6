"""Writing to the outbox.

`enqueue` is called by the actions that cause a message (an invitation, a
password reset, a contribution returned or validated), inside their own
transaction: the message exists if and only if its change was committed, and
a change never loses its message because mail is down. The sender
(`tracker.mail.sender`) delivers what is queued.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import audit, config
from tracker.clock import now
from tracker.db import settings
from tracker.db.models import OutboxMessage
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Action, Actor, require
from tracker.errors import Conflict, NotFound, ValidationError
from tracker.mail.rules import (
    DEFAULT_REMINDER_DAYS,
    MAX_REMINDER_DAYS,
    Content,
    State,
    compose,
)

SETTINGS_PATH = "/preferences"
REMINDER_DAYS_KEY = "reminder_days"


def wire_text(message: EmailMessage) -> str:
    """The message as it goes on the wire: RFC 5322 with CRLF, headers encoded,
    bodies in base64 or quoted-printable, so plain ASCII."""
    return message.as_bytes(policy=policy.SMTP).decode("ascii")


def enqueue(
    session: Session,
    content: Content,
    *,
    recipient: str,
    lang: str,
    at: datetime | None = None,
    key: str | None = None,
) -> OutboxMessage:
    """Queue one message in the caller's unit of work. A `key` (a digest's, a
    reminder's) is unique in the outbox: the caller checks `already_queued`
    first, and the database refuses a second one written at the same time."""
    at = at or now()
    base = config.links_base_url()
    message = compose(
        content,
        recipient=recipient,
        lang=lang,
        sender=config.mail_from(),
        at=at,
        settings_link=f"{base}{SETTINGS_PATH}?lang={lang}",
    )
    row = OutboxMessage(
        message_id=str(message["Message-ID"]),
        kind=content.kind,
        recipient=recipient,
        language=lang,
        subject=str(message["Subject"])[:300],
        content=wire_text(message),
        state=State.QUEUED,
        attempts=0,
        created_at=at,
        next_attempt_at=at,
        last_error="",
        dedup_key=key,
    )
    session.add(row)
    session.flush()
    return row


def already_queued(session: Session, key: str) -> bool:
    """Whether a message with this key was ever queued (sent or not)."""
    found = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == key))
    return found is not None


@action
def set_reminder_days(
    session: Session, actor: Actor, days: int, *, at: datetime | None = None, origin: str = "ui"
) -> int:
    """How many days before a planned session its reminders go (0: none);
    administrators only."""
    require(actor, Action.MANAGE_ACCOUNTS)
    try:
        value = int(days)
    except (TypeError, ValueError):
        raise ValidationError("mail.bad_reminder_days", limit=MAX_REMINDER_DAYS) from None
    if not 0 <= value <= MAX_REMINDER_DAYS:
        raise ValidationError("mail.bad_reminder_days", limit=MAX_REMINDER_DAYS)
    before = reminder_days(session)
    audit.record(
        session,
        actor,
        "mail.reminder_days",
        "setting",
        REMINDER_DAYS_KEY,
        {"value": (before, value)},
        at=at or now(),
        origin=origin,
    )
    settings.put(session, REMINDER_DAYS_KEY, str(value))
    session.flush()
    return value


def reminder_days(session: Session) -> int:
    """The number of days set by the administrators (7 until they choose)."""
    stored = settings.get(session, REMINDER_DAYS_KEY)
    try:
        return int(stored) if stored is not None else DEFAULT_REMINDER_DAYS
    except ValueError:
        return DEFAULT_REMINDER_DAYS


@action
def retry(
    session: Session, actor: Actor, outbox_id: int, *, at: datetime | None = None
) -> OutboxMessage:
    """An administrator sends a failed message again (its attempts start over)."""
    require(actor, Action.MANAGE_ACCOUNTS)
    at = at or now()
    row = session.get(OutboxMessage, outbox_id, with_for_update=True)
    if row is None:
        raise NotFound("mail.unknown_message", id=outbox_id)
    if row.state != State.FAILED:
        raise Conflict("mail.not_failed", id=outbox_id)
    audit.record(
        session,
        actor,
        "mail.retry",
        "mail",
        row.id,
        {"state": (row.state, State.QUEUED)},
        at=at,
        origin="ui",
    )
    row.state, row.attempts, row.next_attempt_at, row.claimed_until = State.QUEUED, 0, at, None
    session.flush()
    return row
