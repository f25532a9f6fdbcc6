"""The scheduled messages: the secretariat's daily digest of submitted
contributions, and the reminders before each planned session.

`queue_due(engine, at)` is run by `mail digest` and by every sender's loop
(`mail send --loop`, the server's thread): it queues what is due at `at` and
nothing twice, whoever runs it and however often. Each message has a key in
the outbox (`mail_outbox.dedup_key`, unique):

- `digest:<day>:<account>`: one digest per day (the UTC day before `at`) for
  each reviewer or administrator that chose it, if anything was submitted
  that day;
- `reminder:<session>:<organisation>:<account>`: from `reminder_days` days
  before a planned session until its day, one reminder per organisation
  (to each of its contributor accounts that did not turn reminders off) that
  has drafts or returned contributions, or nothing submitted since the
  previous session held. An organisation reminded once for a session is not
  reminded again for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import config, logs
from tracker.clock import now
from tracker.db.models import Account, Contribution, OutboxMessage, ReviewSession
from tracker.db.unit_of_work import transaction
from tracker.domain.vocabulary import ContributionState, Role, SessionState
from tracker.i18n import d
from tracker.mail.actions import already_queued, enqueue, reminder_days
from tracker.mail.notifications import secretariat, submission_lines
from tracker.mail.rules import Content, Kind, SubmissionMail


@dataclass
class Queued:
    """What one run queued."""

    digests: int = 0
    reminders: int = 0


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def digest_key(day: date, account_id: int) -> str:
    return f"digest:{day.isoformat()}:{account_id}"


def reminder_key(session_id: int, organisation_id: int, account_id: int) -> str:
    return f"reminder:{session_id}:{organisation_id}:{account_id}"


def queue_digests(session: Session, day: date, *, at: datetime) -> int:
    """The digest of `day` to each account that chose it (once each)."""
    start, end = _day_bounds(day)
    ids = list(
        session.scalars(
            select(Contribution.id)
            .where(Contribution.submitted_at >= start, Contribution.submitted_at < end)
            .order_by(Contribution.id)
        ).all()
    )
    if not ids:
        return 0
    waiting = session.scalar(
        select(func.count(Contribution.id)).where(
            Contribution.state.in_(
                [ContributionState.SUBMITTED.value, ContributionState.RESUBMITTED.value]
            )
        )
    )
    queued = 0
    for account in secretariat(session, SubmissionMail.DIGEST):
        key = digest_key(day, account.id)
        if already_queued(session, key):
            continue
        lang = account.language
        content = Content(
            kind=Kind.SUBMISSION_DIGEST,
            subject="mail.digest.subject",
            paragraphs=("mail.digest.intro", "mail.raw", "mail.digest.waiting"),
            link_label="mail.to_validation",
            link=f"{config.links_base_url()}/validation?lang={lang}",
            params=(
                ("day", d(day, lang)),
                ("count", len(ids)),
                ("waiting", waiting),
                ("text", submission_lines(session, ids, lang)),
            ),
        )
        enqueue(session, content, recipient=account.email, lang=lang, at=at, key=key)
        queued += 1
    return queued


def _reminded(session: Session, session_id: int, organisation_id: int) -> bool:
    prefix = f"reminder:{session_id}:{organisation_id}:"
    found = session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedup_key.startswith(prefix)).limit(1)
    )
    return found is not None


def _previous_held(session: Session, day: date) -> date | None:
    return session.scalar(
        select(func.max(ReviewSession.held_on)).where(
            ReviewSession.held_on < day, ReviewSession.state != SessionState.PLANNED.value
        )
    )


def queue_reminders(session: Session, today: date, *, at: datetime) -> int:
    """The reminders of every planned session `reminder_days` days away or less."""
    days = reminder_days(session)
    if days <= 0:
        return 0
    planned = session.scalars(
        select(ReviewSession)
        .where(
            ReviewSession.state == SessionState.PLANNED.value,
            ReviewSession.held_on >= today,
            ReviewSession.held_on <= today + timedelta(days=days),
        )
        .order_by(ReviewSession.held_on)
    ).all()
    if not planned:
        return 0
    recipients: dict[int, list[Account]] = {}
    for account in session.scalars(
        select(Account)
        .where(
            Account.role == Role.CONTRIBUTOR.value,
            Account.active.is_(True),
            Account.notify_reminders.is_(True),
            Account.organisation_id.is_not(None),
        )
        .order_by(Account.id)
    ):
        recipients.setdefault(account.organisation_id, []).append(account)
    open_states = [ContributionState.DRAFT.value, ContributionState.RETURNED.value]
    queued = 0
    for meeting in planned:
        previous = _previous_held(session, meeting.held_on)
        since = _day_bounds(previous)[1] if previous else None
        for organisation_id, accounts in recipients.items():
            if _reminded(session, meeting.id, organisation_id):
                continue
            counts = dict(
                session.execute(
                    select(Contribution.state, func.count(Contribution.id))
                    .where(
                        Contribution.organisation_id == organisation_id,
                        Contribution.state.in_(open_states),
                    )
                    .group_by(Contribution.state)
                ).all()
            )
            reported = select(func.count(Contribution.id)).where(
                Contribution.organisation_id == organisation_id,
                Contribution.submitted_at.is_not(None),
            )
            if since is not None:
                reported = reported.where(Contribution.submitted_at >= since)
            silent = not session.scalar(reported)
            if not counts and not silent:
                continue
            paragraphs = ["mail.reminder.intro"]
            if counts:
                paragraphs.append("mail.reminder.open")
            if silent:
                paragraphs.append(
                    "mail.reminder.silent_since" if previous else "mail.reminder.silent"
                )
            paragraphs.append("mail.reminder.next")
            for account in accounts:
                lang = account.language
                content = Content(
                    kind=Kind.SESSION_REMINDER,
                    subject="mail.reminder.subject",
                    paragraphs=tuple(paragraphs),
                    link_label="mail.to_contributions",
                    link=f"{config.links_base_url()}/contributions?lang={lang}",
                    params=(
                        ("day", d(meeting.held_on, lang)),
                        ("label", meeting.label),
                        ("drafts", counts.get(ContributionState.DRAFT.value, 0)),
                        ("returned", counts.get(ContributionState.RETURNED.value, 0)),
                        ("previous", d(previous, lang) if previous else ""),
                    ),
                )
                key = reminder_key(meeting.id, organisation_id, account.id)
                enqueue(session, content, recipient=account.email, lang=lang, at=at, key=key)
                queued += 1
    return queued


def queue_due(engine: Engine, *, at: datetime | None = None, day: date | None = None) -> Queued:
    """Queue the digests of the day before `at` (or of `day`) and the reminders
    due at `at`, in one transaction. Run twice, or by two processes at once,
    it queues each message once (the second writer's keys collide: it
    starts again and finds them)."""
    at = at or now()
    today = at.astimezone(UTC).date()
    digest_day = day or today - timedelta(days=1)
    for attempt in range(2):
        try:
            with transaction(engine) as session:
                done = Queued(
                    digests=queue_digests(session, digest_day, at=at),
                    reminders=queue_reminders(session, today, at=at),
                )
            break
        except IntegrityError:
            if attempt:
                raise
    if done.digests or done.reminders:
        logs.event("mail.scheduled", digests=done.digests, reminders=done.reminders)
    return done
