"""Who hears what: the notifications, queued inside the action that causes them.

- a contribution **returned** (with the secretariat's comment) or
  **validated**: the active contributor accounts of its organisation that have
  not turned these messages off on their settings page (`notify_reviews`).

Every notification carries a link to that page (`List-Unsubscribe` too).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import config
from tracker.db.models import Account, Contribution
from tracker.domain.vocabulary import Role
from tracker.mail.actions import enqueue
from tracker.mail.rules import Content, Kind

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
