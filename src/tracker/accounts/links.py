"""One-time links sent by e-mail: invitations and password resets.

An administrator **invites** a person (`invite`, or `invite_many` for a
whole file): the account is created without a password, and the e-mail holds
a link to `/mot-de-passe?jeton=…`, valid `INVITATION_LIFETIME`, where its
owner chooses one (`choose_password`). Anyone may ask for a **reset**
(`request_reset`): the answer is the same whether the address has an account
or not; an active account gets a link valid `RESET_LIFETIME`, and choosing a
password with it ends the account's other sessions.

Tokens are random (`secrets`); only their SHA-256 is stored, so a copy of the
database opens nothing. A link works once: spending it is one UPDATE that only
an unused, unexpired token passes. The message is queued in the same
transaction (`tracker.mail.actions.enqueue`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from stdnum.fr import siren as siren_number

from tracker import audit, config
from tracker.accounts import sessions, throttle
from tracker.accounts.actions import check_new_account, new_account
from tracker.accounts.passwords import HASHER, check_password, normalise_email
from tracker.accounts.sessions import digest
from tracker.clock import aware, now
from tracker.db.models import Account, AccountToken
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.vocabulary import Role
from tracker.errors import TrackerError, ValidationError
from tracker.i18n import describe, language
from tracker.mail.actions import enqueue
from tracker.mail.rules import Content, Kind

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
PASSWORD_PATH = "/mot-de-passe"
MAX_TOKEN_LENGTH = 200


class Purpose:
    INVITATION = "invitation"
    RESET = "reset"


def password_link(token: str, lang: str) -> str:
    query = urlencode({"jeton": token, "lang": lang})
    return f"{config.links_base_url()}{PASSWORD_PATH}?{query}"


def _issue(session: Session, account: Account, purpose: str, at: datetime) -> str:
    """A new token for `account`; the account's earlier unused ones of the
    same purpose stop working (only the latest e-mail's link is good)."""
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.account_id == account.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=at)
    )
    token = secrets.token_urlsafe(32)
    lifetime = INVITATION_LIFETIME if purpose == Purpose.INVITATION else RESET_LIFETIME
    session.add(
        AccountToken(
            token_hash=digest(token),
            account_id=account.id,
            purpose=purpose,
            created_at=at,
            expires_at=at + lifetime,
        )
    )
    session.flush()
    return token


def _invitation(account: Account, actor: Actor, token: str) -> Content:
    lang = account.language
    organisation = account.organisation.full_name if account.organisation else ""
    return Content(
        kind=Kind.INVITATION,
        subject="mail.invitation.subject",
        paragraphs=(
            "mail.invitation.org_intro" if organisation else "mail.invitation.intro",
            "mail.invitation.how",
            "mail.invitation.ignore",
        ),
        link_label="mail.invitation.button",
        link=password_link(token, lang),
        params=(
            ("inviter", actor.name or actor.account),
            ("role", _mid_sentence(Role(account.role).label(lang))),
            ("organisation", organisation),
            ("email", account.email),
        ),
    )


def _mid_sentence(label: str) -> str:
    """« un compte contributeur »: a label as it reads inside a sentence."""
    return label[:1].lower() + label[1:]


def _checked_siren(reference: str | None) -> str | None:
    """An organisation given by a SIREN number must be a valid one (its check
    digit); a code passes as it is."""
    text = (reference or "").strip()
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 9 and not siren_number.is_valid(digits):
        raise ValidationError("auth.bad_siren", value=text[:20])
    return text or None


@action
def invite(
    session: Session,
    actor: Actor,
    *,
    email: str,
    role: Role | str,
    organisation: str | None = None,
    lang: str = "fr",
    display_name: str = "",
    at: datetime | None = None,
    origin: str = "ui",
) -> Account:
    """Create an account without a password and send its owner the link to choose one."""
    require(actor, Action.MANAGE_ACCOUNTS)
    at = at or now()
    account = new_account(
        session,
        actor,
        password_hash=None,
        at=at,
        origin=origin,
        audit_action="account.invite",
        email=email,
        role=role,
        organisation=_checked_siren(organisation),
        display_name=display_name,
        language=language(lang),
    )
    token = _issue(session, account, Purpose.INVITATION, at)
    enqueue(
        session,
        _invitation(account, actor, token),
        recipient=account.email,
        lang=account.language,
        at=at,
    )
    return account


@dataclass
class InvitationReport:
    """What a file of invitations gave: every problem, by line, or the invitations."""

    invited: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


INVITATION_COLUMNS = ("email", "role", "organisation", "language", "display_name")


@action
def invite_many(
    session: Session,
    actor: Actor,
    rows: list[dict[str, object]],
    lines: list[int],
    *,
    lang: str = "fr",
    at: datetime | None = None,
    origin: str = "ui",
) -> InvitationReport:
    """Invite everyone of a file, or no one: every line is checked first, and
    every problem is reported in one pass (in `lang`); nothing is written
    unless there is none."""
    require(actor, Action.MANAGE_ACCOUNTS)
    at = at or now()
    report = InvitationReport()
    checked = []
    seen: dict[str, int] = {}
    for line, row in zip(lines, rows, strict=True):
        values = {k: str(row.get(k) or "").strip() for k in INVITATION_COLUMNS}
        try:
            new = check_new_account(
                session,
                email=values["email"],
                role=values["role"],
                organisation=_checked_siren(values["organisation"]),
                display_name=values["display_name"],
                language=(values["language"] or "fr").lower(),
            )
        except TrackerError as error:
            report.problems.append((line, describe(error, lang)))
            continue
        if new.email in seen:
            error = ValidationError("auth.duplicate_in_file", email=new.email, line=seen[new.email])
            report.problems.append((line, describe(error, lang)))
            continue
        seen[new.email] = line
        checked.append(new)
    if not rows:
        report.problems.append((0, describe(ValidationError("auth.no_invitation"), lang)))
    if report.problems:
        return report
    for new in checked:
        account = new_account(
            session,
            actor,
            password_hash=None,
            at=at,
            origin=origin,
            audit_action="account.invite",
            checked=new,
        )
        token = _issue(session, account, Purpose.INVITATION, at)
        enqueue(
            session,
            _invitation(account, actor, token),
            recipient=account.email,
            lang=account.language,
            at=at,
        )
        report.invited.append(account.email)
    return report


@action
def request_reset(
    session: Session,
    email: str,
    *,
    client: str = "",
    lang: str = "fr",
    at: datetime | None = None,
) -> None:
    """Send a reset link to an active account of this address. Nothing tells
    the caller whether there is one: the page says the same thing every time.
    Requests count against the same limits as sign-in attempts, per client
    and per address."""
    at = at or now()
    if not throttle.allow(client, str(email or ""), purpose="reset"):
        return
    try:
        address = normalise_email(email)
    except ValidationError:
        return
    account = session.scalar(select(Account).where(Account.email == address))
    if account is None or not account.active:
        return
    token = _issue(session, account, Purpose.RESET, at)
    content = Content(
        kind=Kind.RESET,
        subject="mail.reset.subject",
        paragraphs=("mail.reset.intro", "mail.reset.how", "mail.reset.ignore"),
        link_label="mail.reset.button",
        link=password_link(token, account.language),
        params=(("email", account.email),),
    )
    enqueue(session, content, recipient=account.email, lang=account.language, at=at)
    audit.record(
        session,
        Actor(account.email, Role.SYSTEM, email=account.email),
        "account.reset_request",
        "account",
        account.email,
        at=at,
        origin="reset",
    )


@dataclass(frozen=True)
class Link:
    """What a link is: `valid`, `expired`, `used` or `unknown` (forged, or
    mistyped), and for whom and why when it is valid."""

    status: str
    purpose: str = ""
    email: str = ""


def link_state(session: Session, token: str | None, *, at: datetime | None = None) -> Link:
    """Read a link without spending it (the page shows the form, or why not)."""
    at = at or now()
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return Link("unknown")
    row = session.scalar(select(AccountToken).where(AccountToken.token_hash == digest(token)))
    if row is None:
        return Link("unknown")
    account = session.get(Account, row.account_id)
    if account is None or not account.active:
        return Link("unknown")
    if row.used_at is not None:
        return Link("used", row.purpose)
    if aware(row.expires_at) < at:
        return Link("expired", row.purpose)
    return Link("valid", row.purpose, account.email)


def choose_password(
    db: Engine | Session, token: str, password: str, *, at: datetime | None = None
) -> str:
    """Spend a link and set the account's password; the one-time sign-in code
    that opens a session (`/auth/session`). A link that is unknown, used or
    expired is refused (`auth.link_invalid`) and the password is not kept.

    The password is checked and hashed (argon2, the slow part) before the
    write transaction, as sign-in verifies outside it: `spend_link` holds the
    write lock for the writing alone."""
    check_password(password)
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise ValidationError("auth.link_invalid")
    return spend_link(db, token, HASHER.hash(password), at=at)


@action
def spend_link(
    session: Session, token: str, password_hash: str, *, at: datetime | None = None
) -> str:
    """Write what `choose_password` checked: the link spent (one UPDATE that
    only an unused, unexpired token passes), the new password hash, every
    other way in ended; the sign-in code."""
    at = at or now()
    spent = session.execute(
        update(AccountToken)
        .where(
            AccountToken.token_hash == digest(token),
            AccountToken.used_at.is_(None),
            AccountToken.expires_at >= at,
        )
        .values(used_at=at)
        .returning(AccountToken.account_id, AccountToken.purpose)
    ).one_or_none()
    if spent is None:
        raise ValidationError("auth.link_invalid")
    account = session.get(Account, spent.account_id, with_for_update=True)
    if account is None or not account.active:
        raise ValidationError("auth.link_invalid")
    account.password_hash = password_hash
    account.failed_attempts = 0
    account.locked_until = None
    session.flush()
    # Every other way in ends: sessions, codes, the account's other links.
    sessions.end_account_sessions(session, account.id, sessions.Ended.PASSWORD, at=at)
    session.execute(
        update(AccountToken)
        .where(AccountToken.account_id == account.id, AccountToken.used_at.is_(None))
        .values(used_at=at)
    )
    audit.record(
        session,
        Actor(account.email, Role.SYSTEM, email=account.email),
        "account.password_chosen",
        "account",
        account.email,
        {"link": (None, spent.purpose)},
        at=at,
        origin="link",
    )
    return sessions.issue_code(session, account.id, at=at)
