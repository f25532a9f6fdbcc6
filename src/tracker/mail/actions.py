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

from sqlalchemy.orm import Session

from tracker import audit, config
from tracker.clock import now
from tracker.db.models import OutboxMessage
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Action, Actor, require
from tracker.errors import Conflict, NotFound
from tracker.mail.rules import Content, State, compose

SETTINGS_PATH = "/preferences"


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
) -> OutboxMessage:
    """Queue one message in the caller's unit of work."""
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
    )
    session.add(row)
    session.flush()
    return row


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
