"""Delivering the outbox over SMTP, with retries, from any number of senders.

A round (`send_due`) does three things, none of them holding a lock while it
talks to the mail server:

1. **claim** the messages that are due, in one short transaction: on
   PostgreSQL with `FOR UPDATE SKIP LOCKED`, so that senders running at the
   same moment never take the same row; each claimed row is leased for
   `CLAIM_LEASE` (on SQLite, `BEGIN IMMEDIATE` makes claims take turns);
2. **send** them over one SMTP connection;
3. **record** each attempt in its own short transaction, right after that
   message was handed over: sent, or due again after a backoff
   (`rules.next_attempt`), or failed after `MAX_ATTEMPTS` or a permanent
   refusal (a 5xx answer).

A sender killed in the middle of a round loses nothing: what it had not
recorded stays queued, and its lease runs out; at most the message in flight
is delivered twice, with the same `Message-ID`.

These writes are the outbox's bookkeeping, not a person's intent: they are
not actions and leave no audit row (each attempt is its own record,
`mail_attempts`), and they do not move the data revision.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from sqlalchemy import Engine, or_, select

from tracker import config, logs
from tracker.clock import now
from tracker.db.models import MailAttempt, OutboxMessage
from tracker.db.unit_of_work import transaction
from tracker.mail import daily
from tracker.mail.rules import CLAIM_LEASE, SmtpTarget, State, next_attempt

BATCH = 50
TIMEOUT_SECONDS = 30
LOOP_INTERVAL_SECONDS = 5.0
SCHEDULED_INTERVAL_SECONDS = 300.0  # how often a loop looks for digests and reminders due


@dataclass
class Round:
    """What one round did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


def sender_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:120]


def claim(engine: Engine, *, at: datetime, limit: int = BATCH) -> list[tuple[int, str, str]]:
    """Take up to `limit` due messages: (id, recipient, content) each."""
    with transaction(engine) as session:
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.state == State.QUEUED,
                OutboxMessage.next_attempt_at <= at,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < at),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = session.scalars(query).all()
        for row in rows:
            row.claimed_until = at + CLAIM_LEASE
        return [(row.id, row.recipient, row.content) for row in rows]


def record(
    engine: Engine,
    outbox_id: int,
    *,
    ok: bool,
    error: str = "",
    permanent: bool = False,
    at: datetime,
) -> str:
    """Write one attempt and what follows from it; the message's new state."""
    with transaction(engine) as session:
        row = session.get(OutboxMessage, outbox_id, with_for_update=True, populate_existing=True)
        if row is None:
            return State.FAILED
        row.attempts += 1
        session.add(
            MailAttempt(outbox_id=row.id, at=at, ok=ok, error=error[:2000], sender=sender_name())
        )
        row.claimed_until = None
        if ok:
            row.state, row.sent_at, row.last_error = State.SENT, at, ""
        else:
            row.last_error = error[:2000]
            retry_at = None if permanent else next_attempt(row.attempts, at)
            if retry_at is None:
                row.state = State.FAILED
            else:
                row.next_attempt_at = retry_at
        session.flush()
        return row.state


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if config.smtp_ca_file():
        context.load_verify_locations(cafile=config.smtp_ca_file())
    return context


def connect(target: SmtpTarget) -> smtplib.SMTP:
    """An SMTP connection, encrypted as the URL says, signed in if it has a user."""
    if target.tls == "implicit":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=TIMEOUT_SECONDS, context=_tls_context()
        )
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT_SECONDS)
        if target.tls == "starttls":
            client.starttls(context=_tls_context())  # refused by the server: an error
    if target.user:
        client.login(target.user, target.password)
    return client


def _describe(error: BaseException) -> tuple[str, bool]:
    """A short description of a delivery error, and whether it is permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return f"{type(error).__name__}: {error.recipients}", all(c >= 500 for c in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode("utf-8", "replace")
        return f"{error.smtp_code} {text}", error.smtp_code >= 500
    return f"{type(error).__name__}: {error}", False


def send_due(engine: Engine, *, at: datetime | None = None, limit: int = BATCH) -> Round:
    """One round: claim what is due, deliver it, record every attempt. Without
    `TRACKER_SMTP_URL` nothing is sent: messages stay queued."""
    url = config.smtp_url()
    done = Round()
    if not url:
        return done
    at = at or now()
    claimed = claim(engine, at=at, limit=limit)
    done.claimed = len(claimed)
    if not claimed:
        return done
    sender = parseaddr(config.mail_from())[1]
    client = None
    try:
        client = connect(SmtpTarget.parse(url))
    except (OSError, smtplib.SMTPException) as error:
        text, permanent = _describe(error)
        logs.error(type(error).__name__, key="mail.connection_failed")
        for outbox_id, _, _ in claimed:
            _count(done, record(engine, outbox_id, ok=False, error=text, at=at))
        return done
    try:
        for index, (outbox_id, recipient, content) in enumerate(claimed):
            try:
                client.sendmail(sender, [recipient], content.encode("ascii"))
            except (OSError, smtplib.SMTPException) as error:
                text, permanent = _describe(error)
                state = record(engine, outbox_id, ok=False, error=text, permanent=permanent, at=at)
                _count(done, state)
                # (smtplib's errors are OSErrors too: only a socket's error, or
                # a disconnection, means the connection is gone)
                gone = not isinstance(error, smtplib.SMTPException)
                if gone or isinstance(error, smtplib.SMTPServerDisconnected):
                    # the connection is gone: the rest waits for the next round
                    for rest_id, _, _ in claimed[index + 1 :]:
                        _count(done, record(engine, rest_id, ok=False, error=text, at=at))
                    break
            else:
                _count(done, record(engine, outbox_id, ok=True, at=at))
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    if done.sent or done.failed or done.retried:
        logs.event("mail.round", sent=done.sent, retried=done.retried, failed=done.failed)
    return done


def _count(done: Round, state: str) -> None:
    if state == State.SENT:
        done.sent += 1
    elif state == State.FAILED:
        done.failed += 1
    else:
        done.retried += 1


def run(
    engine: Engine,
    stop: threading.Event,
    *,
    interval: float = LOOP_INTERVAL_SECONDS,
    scheduled_every: float = SCHEDULED_INTERVAL_SECONDS,
) -> None:
    """Deliver until `stop` is set: a round, then a pause unless the round was
    full; every `scheduled_every` seconds, first queue the digests and
    reminders that are due (`daily.queue_due`: never twice)."""
    last_scheduled = float("-inf")
    while not stop.is_set():
        if time.monotonic() - last_scheduled >= scheduled_every:
            last_scheduled = time.monotonic()
            try:
                daily.queue_due(engine)
            except Exception as error:  # the database is down: try again later
                logs.error(type(error).__name__, key="mail.scheduled_failed")
        try:
            done = send_due(engine)
        except Exception as error:  # the database is down: try again later
            logs.error(type(error).__name__, key="mail.round_failed")
            done = Round()
        if done.claimed < BATCH:
            stop.wait(interval)


class BackgroundSender:
    """The server's own sender: a daemon thread started with the server."""

    def __init__(self, engine: Engine, interval: float = LOOP_INTERVAL_SECONDS) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=run,
            args=(engine, self._stop),
            kwargs={"interval": interval},
            name="tracker-mail-sender",
            daemon=True,
        )

    def start(self) -> BackgroundSender:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
