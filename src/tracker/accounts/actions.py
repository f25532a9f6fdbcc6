"""Local accounts: creation by an administrator, sign-in, lockout, idle expiry.

Passwords are kept only as argon2id hashes (argon2-cffi). A sign-in that fails
says the same thing whether the e-mail is unknown, the password wrong, the
account disabled or locked, so that nobody can learn which accounts exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tracker import audit
from tracker.accounts import sessions, throttle
from tracker.accounts.passwords import (
    ACCOUNT_ROLES,
    HASHER,
    LOCK_DURATION,
    MAX_DISPLAY_NAME,
    MAX_FAILED_ATTEMPTS,
    MAX_PASSWORD_LENGTH,
    _dummy_hash,
    _verify,
    check_password,
    normalise_email,
)
from tracker.accounts.queries import actor_for, find_organisation, get_account
from tracker.clock import aware, now
from tracker.db.engine import reading
from tracker.db.models import Account, Organisation
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.text import plain_line
from tracker.domain.vocabulary import LANGUAGES, Role
from tracker.errors import Conflict, PermissionDenied, ValidationError
from tracker.mail.rules import SubmissionMail


@action
def create_account(
    session: Session,
    actor: Actor,
    *,
    email: str,
    role: Role | str,
    password: str,
    organisation: str | None = None,
    display_name: str = "",
    language: str = "fr",
    at: datetime | None = None,
    origin: str = "ui",
) -> Account:
    """A new account. A contributor belongs to exactly one organisation."""
    require(actor, Action.MANAGE_ACCOUNTS)
    check_password(password)
    return new_account(
        session,
        actor,
        email=email,
        role=role,
        password_hash=HASHER.hash(password),
        organisation=organisation,
        display_name=display_name,
        language=language,
        at=at or now(),
        origin=origin,
        audit_action="account.create",
    )


@dataclass(frozen=True)
class NewAccount:
    """An account to create, checked: what `new_account` writes."""

    email: str
    role: Role
    organisation: Organisation | None
    display_name: str
    language: str


def check_new_account(
    session: Session,
    *,
    email: str,
    role: Role | str,
    organisation: str | None = None,
    display_name: str = "",
    language: str = "fr",
) -> NewAccount:
    """Every rule a new account must pass, each a named error."""
    address = normalise_email(email)
    parsed = Role.parse(role)
    if parsed not in ACCOUNT_ROLES:
        raise ValidationError("auth.bad_role", value=str(role))
    organisation_row = find_organisation(session, organisation) if organisation else None
    if parsed is Role.CONTRIBUTOR and organisation_row is None:
        raise ValidationError("auth.contributor_needs_organisation")
    if session.scalar(select(func.count(Account.id)).where(Account.email == address)):
        raise Conflict("auth.account_exists", email=address)
    if language not in LANGUAGES:
        raise ValidationError("auth.bad_language", value=str(language)[:10])
    return NewAccount(address, parsed, organisation_row, _display_name(display_name), language)


def new_account(
    session: Session,
    actor: Actor,
    *,
    password_hash: str | None,
    at: datetime,
    origin: str,
    audit_action: str,
    checked: NewAccount | None = None,
    **fields: object,
) -> Account:
    """Write an account (checked here unless `checked` is given) and its audit row.
    Without a password hash, it cannot sign in until its owner chooses one."""
    new = checked or check_new_account(session, **fields)  # type: ignore[arg-type]
    account = Account(
        email=new.email,
        display_name=new.display_name,
        role=new.role.value,
        organisation_id=new.organisation.id if new.organisation else None,
        password_hash=password_hash,
        active=True,
        failed_attempts=0,
        created_at=at,
        language=new.language,
        notify_reviews=True,
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        audit_action,
        "account",
        new.email,
        {
            "role": (None, new.role.value),
            "organisation": (None, new.organisation.code if new.organisation else None),
        },
        at=at,
        origin=origin,
    )
    return account


@action
def set_active(
    session: Session,
    actor: Actor,
    email: str,
    active: bool,
    *,
    at: datetime | None = None,
    origin: str = "ui",
) -> Account:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    require(actor, Action.MANAGE_ACCOUNTS)
    at = at or now()
    account = get_account(session, email)
    if not active and actor.account_id == account.id:
        raise ValidationError("auth.cannot_disable_self")
    if account.active != active:
        audit.record(
            session,
            actor,
            "account.enable" if active else "account.disable",
            "account",
            account.email,
            {"active": (account.active, active)},
            at=at,
            origin=origin,
        )
        account.active = active
        session.flush()
    if not active:
        _end_sessions(session, account.id, "disabled", at)
    return account


@action
def set_password(
    session: Session,
    actor: Actor,
    email: str,
    password: str,
    *,
    at: datetime | None = None,
    origin: str = "ui",
) -> None:
    """A new password, set by an administrator; it also lifts a lock."""
    require(actor, Action.MANAGE_ACCOUNTS)
    check_password(password)
    account = get_account(session, email)
    account.password_hash = HASHER.hash(password)
    account.failed_attempts = 0
    account.locked_until = None
    audit.record(
        session, actor, "account.password", "account", account.email, at=at or now(), origin=origin
    )
    session.flush()
    _end_sessions(session, account.id, "password", at or now())


def _end_sessions(session: Session, account_id: int, reason: str, at: datetime) -> None:
    """A disabled account, or one given a new password, is signed out everywhere."""
    # Imported here: sessions builds on this module.
    from tracker.accounts.sessions import end_account_sessions

    end_account_sessions(session, account_id, reason, at=at)


def _display_name(value: str) -> str:
    """The name shown for an account: required, and never an address (a name
    that defaulted to the e-mail once reached public outputs, #16)."""
    text = plain_line(value or "")
    if not text:
        raise ValidationError("auth.display_name_required", field="display_name")
    if "@" in text:
        raise ValidationError("auth.display_name_not_email", field="display_name")
    if len(text) > MAX_DISPLAY_NAME:
        raise ValidationError("error.text_too_long", field="display_name", limit=MAX_DISPLAY_NAME)
    return text


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the actor, or None and the one message to show."""

    actor: Actor | None
    code: str | None = None  # the one-time code the browser exchanges for its session

    @property
    def ok(self) -> bool:
        return self.actor is not None

    message_key = "auth.failed"


def sign_in(
    db: Engine | Session,
    email: str,
    password: str,
    *,
    at: datetime | None = None,
    client: str = "",
) -> SignIn:
    """Check an e-mail and password and, when they are right, issue the
    one-time code that the browser exchanges for its session (`/auth/session`).

    The password is verified (argon2, the slow part) outside any write
    transaction: the account is read in a read-only unit, and only the outcome
    is written, by `record_sign_in`, in a short one. Every failure, whatever
    its cause (unknown address, wrong password, disabled or locked account,
    too many attempts from this `client` or for this address), gets the same
    answer after the same work: one argon2 verification.
    """
    at = at or now()
    if not throttle.allow(client, str(email or "")) or len(password or "") > MAX_PASSWORD_LENGTH:
        _verify(_dummy_hash(), "")  # the same work, so timing tells nothing
        return SignIn(None)
    try:
        address = normalise_email(email)
    except ValidationError:
        _verify(_dummy_hash(), password)
        return SignIn(None)
    with _reading(db) as session:
        account = session.scalar(select(Account).where(Account.email == address))
        seen = None if account is None else (account.id, account.password_hash)
        usable = account is not None and account.active and bool(account.password_hash)
        locked_until = aware(account.locked_until) if account is not None else None
    if seen is None or not usable or (locked_until is not None and locked_until > at):
        _verify(_dummy_hash(), password)
        return SignIn(None)
    account_id, password_hash = seen
    right = _verify(password_hash, password)
    new_hash = HASHER.hash(password) if right and HASHER.check_needs_rehash(password_hash) else None
    return record_sign_in(db, account_id, password_hash, right, new_hash=new_hash, at=at)


@contextmanager
def _reading(db: Engine | Session) -> Iterator[Session]:
    if isinstance(db, Session):
        yield db  # a caller's unit of work (a test's rolled-back session)
        return
    with reading(db) as session:
        yield session


@action
def record_sign_in(
    session: Session,
    account_id: int,
    verified_hash: str,
    right: bool,
    *,
    new_hash: str | None = None,
    at: datetime | None = None,
) -> SignIn:
    """Write what a sign-in found (`sign_in` verified the password): a failure
    is counted, and after `MAX_FAILED_ATTEMPTS` the account is locked for
    `LOCK_DURATION`; a success resets the count, records the sign-in and
    issues the one-time code. The account is read again here, under the
    write lock: one disabled, locked or given a new password since `sign_in`
    read it does not sign in."""
    at = at or now()
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    if account is None or not account.active or account.password_hash != verified_hash:
        return SignIn(None)
    locked_until = aware(account.locked_until)
    if locked_until is not None and locked_until > at:
        return SignIn(None)
    if not right:
        account.failed_attempts = (account.failed_attempts or 0) + 1
        if account.failed_attempts >= MAX_FAILED_ATTEMPTS:
            account.failed_attempts = 0
            account.locked_until = at + LOCK_DURATION
            audit.record(
                session,
                Actor(account.email, Role.SYSTEM, email=account.email),
                "account.lock",
                "account",
                account.email,
                {"locked_until": (None, account.locked_until)},
                at=at,
                origin="sign-in",
            )
        session.flush()
        return SignIn(None)
    account.failed_attempts = 0
    account.locked_until = None
    account.last_sign_in_at = at
    if new_hash is not None:
        account.password_hash = new_hash
    actor = actor_for(account)
    audit.record(
        session, actor, "account.sign_in", "account", account.email, at=at, origin="sign-in"
    )
    return SignIn(actor, sessions.issue_code(session, account.id, at=at))


def _mail_choices(
    account: Account, notify_reminders: bool | None, submission_mail: str | None
) -> dict[str, tuple[object, object]]:
    """The audit's before and after of the reminder and submission choices."""
    changes: dict[str, tuple[object, object]] = {}
    if notify_reminders is not None:
        changes["notify_reminders"] = (account.notify_reminders, bool(notify_reminders))
    if submission_mail is not None:
        changes["submission_mail"] = (account.submission_mail, submission_mail)
    return changes


@action
def set_preferences(
    session: Session,
    actor: Actor,
    *,
    notify_reviews: bool,
    language: str,
    notify_reminders: bool | None = None,
    submission_mail: str | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> Account:
    """What a signed-in person chooses for their own account: the e-mail they
    receive when their organisation's contributions are returned or validated,
    the reminders before a session, how the secretariat hears of submitted
    contributions (at once, a daily digest, not at all), and the language of
    every message. A choice left as None stays as it was."""
    if not actor.signed_in:
        raise PermissionDenied("error.permission_denied", action="preferences")
    if language not in LANGUAGES:
        raise ValidationError("auth.bad_language", value=str(language)[:10])
    if submission_mail is not None and submission_mail not in SubmissionMail.ALL:
        raise ValidationError("prefs.bad_submission_mail", value=str(submission_mail)[:16])
    at = at or now()
    account = session.get(Account, actor.account_id)
    if account is None or not account.active:
        raise PermissionDenied("error.permission_denied", action="preferences")
    audit.record(
        session,
        actor,
        "account.preferences",
        "account",
        account.email,
        {
            "notify_reviews": (account.notify_reviews, bool(notify_reviews)),
            "language": (account.language, language),
            **_mail_choices(account, notify_reminders, submission_mail),
        },
        at=at,
        origin=origin,
    )
    account.notify_reviews = bool(notify_reviews)
    account.language = language
    if notify_reminders is not None:
        account.notify_reminders = bool(notify_reminders)
    if submission_mail is not None:
        account.submission_mail = submission_mail
    session.flush()
    return account
