"""Who hears what: the notifications, queued inside the action that causes them.

- a contribution **returned** (with the secretariat's comment) or
  **validated**: the active contributor accounts of its organisation that have
  not turned these messages off on their settings page (`notify_reviews`).
- a contribution **submitted**: the active reviewer and administrator
  accounts that chose to hear at once (`submission_mail = "immediate"`, the
  default); one message per submission, one for a whole bulk import. Those
  that chose the daily digest hear from `tracker.mail.daily`.

Every notification carries a link to that page (`List-Unsubscribe` too).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import config
from tracker.db.models import Account, Contribution, Organisation, Proposal
from tracker.domain.vocabulary import Role
from tracker.i18n import t
from tracker.mail.actions import enqueue
from tracker.mail.rules import Content, Kind, SubmissionMail

SHOWN_IN_A_LIST = 20  # a message lists this many contributions, then says how many more

TEXTS = {  # subject, first paragraph, last paragraph
    Kind.CONTRIBUTION_RETURNED: (
        "mail.returned.subject",
        "mail.returned.intro",
        "mail.returned.next",
    ),
    Kind.CONTRIBUTION_VALIDATED: (
        "mail.validated.subject",
        "mail.validated.intro",
        "mail.validated.next",
    ),
}


def contribution_reviewed(
    session: Session,
    contribution: Contribution,
    kind: str,
    comment: str,
    *,
    at: datetime,
    origin: str = "ui",
) -> int:
    """Queue the message of a contribution returned or validated; how many.
    The demonstration data's reviews (`origin="demo"`, loaded at the first
    start) are history that nobody is waiting to hear about: none."""
    if origin == "demo":
        return 0
    recipients = session.scalars(
        select(Account).where(
            Account.organisation_id == contribution.organisation_id,
            Account.role == Role.CONTRIBUTOR.value,
            Account.active.is_(True),
            Account.notify_reviews.is_(True),
        )
    ).all()
    subject, intro, after = TEXTS[kind]
    paragraphs = [intro]
    if comment:
        paragraphs += ["mail.review_comment", "mail.comment"]
    paragraphs.append(after)
    for account in recipients:
        content = Content(
            kind=kind,
            subject=subject,
            paragraphs=tuple(paragraphs),
            link_label="mail.to_contributions",
            link=f"{config.links_base_url()}/contributions?lang={account.language}",
            params=(
                ("title", contribution.title),
                ("number", contribution.proposal.number),
                ("comment", comment),
            ),
        )
        enqueue(session, content, recipient=account.email, lang=account.language, at=at)
    return len(recipients)


def secretariat(session: Session, choice: str) -> list[Account]:
    """The active reviewer and administrator accounts with this submission choice."""
    return list(
        session.scalars(
            select(Account)
            .where(
                Account.role.in_([Role.REVIEWER.value, Role.ADMINISTRATOR.value]),
                Account.active.is_(True),
                Account.submission_mail == choice,
            )
            .order_by(Account.id)
        ).all()
    )


def submission_lines(session: Session, ids: list[int], lang: str) -> str:
    """« – Métropole de Lyon : titre (proposition n° 7) », one a line, the
    first `SHOWN_IN_A_LIST`, then how many more."""
    rows = session.execute(
        select(Contribution.title, Organisation.short_name, Proposal.number)
        .join(Organisation, Organisation.id == Contribution.organisation_id)
        .join(Proposal, Proposal.id == Contribution.proposal_id)
        .where(Contribution.id.in_(ids[:SHOWN_IN_A_LIST]))
        .order_by(Contribution.id)
    ).all()
    lines = [
        t("mail.submitted.line", lang, organisation=org, title=title, number=number)
        for title, org, number in rows
    ]
    if len(ids) > SHOWN_IN_A_LIST:
        lines.append(t("mail.submitted.more", lang, count=len(ids) - SHOWN_IN_A_LIST))
    return "\n".join(lines)


def contributions_submitted(
    session: Session, ids: list[int], *, at: datetime, origin: str = "ui"
) -> int:
    """Queue the message of contributions just submitted (one, or a bulk
    import's) to the secretariat accounts that hear at once; how many."""
    if origin == "demo" or not ids:
        return 0
    batch = session.info.get(BATCH_KEY)
    if batch is not None:  # inside `one_message_per_batch`: told at its end
        batch.extend(ids)
        return 0
    recipients = secretariat(session, SubmissionMail.IMMEDIATE)
    for account in recipients:
        lang = account.language
        content = Content(
            kind=Kind.CONTRIBUTION_SUBMITTED,
            subject="mail.submitted.subject",
            paragraphs=("mail.submitted.intro", "mail.raw", "mail.submitted.next"),
            link_label="mail.to_validation",
            link=f"{config.links_base_url()}/validation?lang={lang}",
            params=(("count", len(ids)), ("text", submission_lines(session, ids, lang))),
        )
        enqueue(session, content, recipient=account.email, lang=lang, at=at)
    return len(recipients)


BATCH_KEY = "tracker.mail.submitted_batch"


@contextmanager
def one_message_per_batch(session: Session, *, at: datetime, origin: str) -> Iterator[None]:
    """Within this block, the contributions submitted one by one (an import's
    rows) are told in one message at its end, as a bulk creation is."""
    if BATCH_KEY in session.info:  # already collecting: the outer block tells
        yield
        return
    session.info[BATCH_KEY] = []
    try:
        yield
    finally:
        collected = session.info.pop(BATCH_KEY)
    contributions_submitted(session, list(dict.fromkeys(collected)), at=at, origin=origin)
