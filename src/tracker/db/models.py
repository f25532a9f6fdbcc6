"""The database tables, as SQLAlchemy 2 declarative models."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    short_name: Mapped[str] = mapped_column(String(120))
    full_name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    website: Mapped[str | None] = mapped_column(String(300))


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("progress IS NULL OR (progress >= 0 AND progress <= 100)", name="progress"),
        CheckConstraint("number >= 1", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    # The catalogue: the report's data, owned by the CNCD secretariat.
    title_fr: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    summary_fr: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    primary_theme: Mapped[str] = mapped_column(String(16))
    secondary_themes: Mapped[str] = mapped_column(String(64), default="")
    report_reference: Mapped[str] = mapped_column(Text, default="")
    wording_status: Mapped[str] = mapped_column(String(16))
    source_url: Mapped[str] = mapped_column(Text, default="")
    # The follow-up: who carries it and how far it has gone.
    lead_owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    co_owners: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(32), default="non_evaluee")
    progress: Mapped[int | None] = mapped_column(Integer)
    target_date: Mapped[date | None] = mapped_column(Date)
    last_assessed_on: Mapped[date | None] = mapped_column(Date)
    next_steps_fr: Mapped[str] = mapped_column(Text, default="")
    next_steps_en: Mapped[str] = mapped_column(Text, default="")
    blockers_fr: Mapped[str] = mapped_column(Text, default="")
    blockers_en: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    lead_owner: Mapped[Organisation | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class ProposalChange(Base):
    """One field of one proposal changed: who, when, old value, new value."""

    __tablename__ = "proposal_changes"
    __table_args__ = (
        # The latest change of one field up to a date, and a proposal's timeline:
        # index look-ups however long the history (migration 0006).
        Index("ix_proposal_changes_latest", "proposal_id", "field", "changed_at", "id"),
        Index("ix_proposal_changes_timeline", "proposal_id", "changed_at", "id"),
        # The changes recorded at one session. Partial: most changes belong to
        # none, and an index whose statistics say "all NULL" is one the SQLite
        # planner never uses (7.5 s over a million rows, migration 0008).
        Index(
            "ix_proposal_changes_review_session_id",
            "review_session_id",
            sqlite_where=text("review_session_id IS NOT NULL"),
            postgresql_where=text("review_session_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    author: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    comment_fr: Mapped[str] = mapped_column(Text, default="")
    comment_en: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(32), default="")
    # The working group's session at which the change was recorded, if any.
    review_session_id: Mapped[int | None] = mapped_column(ForeignKey("review_sessions.id"))


class Setting(Base):
    """Small facts about the database itself: data kind, data revision."""

    __tablename__ = "settings"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)


class ReviewSession(Base):
    """A session (« séance ») of the CNCD working group: planned, held, then
    its minutes published. The last one held is what briefings compare from."""

    __tablename__ = "review_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, unique=True)
    label: Mapped[str] = mapped_column(String(200))  # the session's title
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    format: Mapped[str] = mapped_column(String(16), default="in_person")
    state: Mapped[str] = mapped_column(String(16), default="held")
    state_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attendance: Mapped[str] = mapped_column(Text, default="")
    # The agenda as the secretariat arranged it (JSON list of item keys, in
    # order); None while it is the one proposed from the data.
    agenda: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class Decision(Base):
    """A decision of the working group (« relevé de décisions »), followed
    from session to session until it is done or dropped."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id"), index=True)
    text_fr: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")
    state_changed_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner: Mapped[Organisation | None] = relationship()
    proposals: Mapped[list[DecisionProposal]] = relationship(
        cascade="all, delete-orphan", order_by="DecisionProposal.number"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class DecisionProposal(Base):
    """One proposal a decision concerns."""

    __tablename__ = "decision_proposals"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    number: Mapped[int] = mapped_column(ForeignKey("proposals.number"), primary_key=True)


class Account(Base):
    """Someone who signs in: a contributor of one organisation, a reviewer or an
    administrator. The password is kept only as an argon2id hash."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The language of the e-mail this account receives, and whether it wants
    # to hear when the secretariat returns or validates its organisation's
    # contributions (its settings page).
    language: Mapped[str] = mapped_column(String(2), default="fr", server_default="fr")
    notify_reviews: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # The secretariat's accounts: a submitted contribution told at once
    # ("immediate"), in a daily digest ("digest") or not at all ("off"); and
    # whether an account receives the reminders before a session.
    submission_mail: Mapped[str] = mapped_column(
        String(16), default="immediate", server_default="immediate"
    )
    notify_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    organisation: Mapped[Organisation | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class Contribution(Base):
    """What one organisation reports it does for one proposal: the working copy,
    which its organisation edits and the secretariat reviews."""

    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint("progress IS NULL OR (progress >= 0 AND progress <= 100)", name="progress"),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="budget"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32))
    progress: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    partner_country: Mapped[str | None] = mapped_column(String(2))
    partner_authority: Mapped[str] = mapped_column(String(200), default="")
    evidence_links: Mapped[str] = mapped_column(Text, default="")  # one address a line
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    contact: Mapped[str] = mapped_column(String(300), default="")  # never public
    review_comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    proposal: Mapped[Proposal] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class ContributionVersion(Base):
    """A contribution as the secretariat validated it: what the public sees
    (the latest one), kept whatever happens to the working copy afterwards."""

    __tablename__ = "contribution_versions"
    __table_args__ = (
        UniqueConstraint("contribution_id", "revision", name="uq_contribution_versions_revision"),
        Index("ix_contribution_versions_validated_at", "validated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32))
    progress: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    partner_country: Mapped[str | None] = mapped_column(String(2))
    partner_authority: Mapped[str] = mapped_column(String(200), default="")
    evidence_links: Mapped[str] = mapped_column(Text, default="")
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    validated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    validated_by: Mapped[str] = mapped_column(String(254))


class AuditEntry(Base):
    """One change to the data: who, when, what, old → new. Rows are only ever
    added; the database refuses to update or delete them (see migration 0002)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(32), default="")


class AccountSession(Base):
    """A signed-in browser. The browser holds a random token in an HttpOnly
    cookie; only its SHA-256 hash is kept here, so a copy of the database
    opens no session."""

    __tablename__ = "account_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_activity: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str] = mapped_column(String(16), default="")


class SignInCode(Base):
    """A one-time code, valid for a minute, that lets the browser exchange a
    password checked by the page for a session cookie (set by an HTTP route,
    since a Streamlit script cannot set cookies). Only its hash is kept."""

    __tablename__ = "sign_in_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccountToken(Base):
    """A one-time link sent by e-mail: an invitation to choose one's password
    (7 days) or a password reset (1 hour). Only the token's SHA-256 is kept."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxMessage(Base):
    """An e-mail to send, written in the same transaction as the change that
    causes it; the sender delivers it (`tracker.mail.sender`). `content` is
    the whole message as it goes on the wire (RFC 5322, ASCII)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    # A digest or a reminder goes once: `digest:<day>:<account>`,
    # `reminder:<session>:<organisation>:<account>` (unique; NULL for the rest).
    dedup_key: Mapped[str | None] = mapped_column(String(160), unique=True)


class MailAttempt(Base):
    """One delivery attempt of an outbox message, successful or not."""

    __tablename__ = "mail_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("mail_outbox.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str] = mapped_column(String(120), default="")
