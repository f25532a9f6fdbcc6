"""What the administration reads: organisations, accounts, the audit log."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.accounts.passwords import normalise_email
from tracker.clock import aware
from tracker.db.models import Account, AuditEntry, Organisation
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.vocabulary import Role
from tracker.errors import NotFound, ValidationError


def find_organisation(session: Session, reference: str) -> Organisation:
    """An organisation by its code or its SIREN number."""
    text = (reference or "").strip()
    organisation = session.scalar(
        select(Organisation).where(
            or_(Organisation.code == text, Organisation.siren == text.replace(" ", ""))
        )
    )
    if organisation is None:
        raise NotFound("error.unknown_organisation", value=text[:80])
    return organisation


def actor_for(account: Account) -> Actor:
    return Actor(
        name=account.display_name,
        role=Role(account.role),
        organisation_id=account.organisation_id,
        account_id=account.id,
        email=account.email,
    )


def get_account(session: Session, email: str) -> Account:
    account = session.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None:
        raise NotFound("auth.unknown_account", email=email)
    return account


def accounts_frame(session: Session, actor: Actor) -> pd.DataFrame:
    require(actor, Action.MANAGE_ACCOUNTS)
    rows = session.execute(
        select(Account, Organisation.code)
        .outerjoin(Organisation, Organisation.id == Account.organisation_id)
        .order_by(Account.email)
    ).all()
    columns = ["email", "display_name", "role", "organisation", "active", "locked_until"]
    return pd.DataFrame.from_records(
        [
            {
                "email": a.email,
                "display_name": a.display_name,
                "role": a.role,
                "organisation": code or "",
                "active": a.active,
                "locked_until": aware(a.locked_until),
            }
            for a, code in rows
        ],
        columns=columns,
    )


def signed_in_actor(session: Session, account_id: int) -> Actor | None:
    """The actor of a signed-in account, read again on every page, so that a
    disabled account or a changed role takes effect at once."""
    account = session.get(Account, account_id)
    if account is None or not account.active:
        return None
    return actor_for(account)


def actor_for_verified_email(session: Session, email: str) -> Actor | None:
    """Single sign-on: a verified e-mail signs in only to an existing, active account."""
    try:
        address = normalise_email(email)
    except ValidationError:
        return None
    account = session.scalar(select(Account).where(Account.email == address))
    if account is None or not account.active:
        return None
    return actor_for(account)


AUDIT_COLUMNS = [
    "at",
    "actor",
    "actor_role",
    "action",
    "entity",
    "entity_id",
    "field",
    "old_value",
    "new_value",
    "origin",
]


def audit_frame(session: Session, actor: Actor, limit: int = 2000) -> pd.DataFrame:
    """The latest audit rows, newest first (administrators only): the audit
    log is written by `tracker.audit`, in each action's transaction."""
    require(actor, Action.READ_AUDIT)
    entries = session.scalars(
        select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()
    return pd.DataFrame.from_records(
        [{c: getattr(e, c) for c in AUDIT_COLUMNS} for e in entries], columns=AUDIT_COLUMNS
    )


def preferences(session: Session, actor: Actor) -> tuple[bool, str]:
    """A signed-in account's own choices: (notified of reviews, language)."""
    account = session.get(Account, actor.account_id) if actor.signed_in else None
    if account is None:
        return True, "fr"
    return account.notify_reviews, account.language


@dataclass(frozen=True)
class MailChoices:
    """A signed-in account's choices about the scheduled and secretariat mail."""

    notify_reminders: bool
    submission_mail: str
    secretariat: bool  # a reviewer or administrator: hears of submitted contributions
    contributor: bool  # receives the reminders before a session


def mail_choices(session: Session, actor: Actor) -> MailChoices:
    account = session.get(Account, actor.account_id) if actor.signed_in else None
    if account is None:
        return MailChoices(True, "immediate", False, False)
    return MailChoices(
        account.notify_reminders,
        account.submission_mail,
        account.role in (Role.REVIEWER.value, Role.ADMINISTRATOR.value),
        account.role == Role.CONTRIBUTOR.value,
    )
