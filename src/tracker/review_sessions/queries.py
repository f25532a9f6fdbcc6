"""What the session cycle reads: the sessions, their decisions, the follow-up
changes recorded at each, and "the last session held" that briefings compare
from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.db.models import Decision, Organisation, Proposal, ProposalChange, ReviewSession
from tracker.domain.permissions import Action, Actor
from tracker.domain.vocabulary import DecisionState, SessionFormat, SessionState
from tracker.errors import NotFound
from tracker.i18n import d, t

SESSION_COLUMNS = [
    "id",
    "held_on",
    "label",
    "format",
    "state",
    "state_changed_at",
    "attendance",
    "agenda",
    "version",
    "recorded_at",
]
DECISION_COLUMNS = [
    "id",
    "session_id",
    "session_held_on",
    "text_fr",
    "text_en",
    "numbers",
    "owner",
    "due_on",
    "state",
    "state_changed_on",
    "version",
]


def review_sessions_frame(session: Session) -> pd.DataFrame:
    """Every session, oldest first. Who recorded a session is in the audit log,
    never here: this frame reaches public pages."""
    rows = session.scalars(select(ReviewSession).order_by(ReviewSession.held_on)).all()
    return pd.DataFrame.from_records(
        [{c: getattr(row, c) for c in SESSION_COLUMNS} for row in rows], columns=SESSION_COLUMNS
    )


def held(sessions: pd.DataFrame) -> pd.DataFrame:
    """The sessions that took place (minutes published or not)."""
    if sessions.empty:
        return sessions
    return sessions[[SessionState(s).was_held for s in sessions["state"]]]


def public_sessions(sessions: pd.DataFrame) -> pd.DataFrame:
    """The sessions whose minutes are published."""
    if sessions.empty:
        return sessions
    return sessions[[SessionState(s).is_public for s in sessions["state"]]]


def public_decisions(sessions: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """The decisions of the sessions whose minutes are published: what anyone
    may read (the register, the dashboard, the open data)."""
    if decisions.empty:
        return decisions
    published = set(public_sessions(sessions)["id"]) if len(sessions) else set()
    return decisions[decisions["session_id"].isin(published)]


def last_session_before(sessions: pd.DataFrame, day: date) -> date | None:
    """The day of the last session **held** on or before `day`: what "since the
    last session" means everywhere (note page, documents, CLI). A planned
    session is not one yet."""
    taken = held(sessions)
    earlier = [d for d in taken["held_on"] if d <= day] if len(taken) else []
    return max(earlier) if earlier else None


def session_before(sessions: pd.DataFrame, day: date) -> pd.Series | None:
    """The last session held strictly before `day` (the previous one, for an
    agenda or minutes of the session on `day`)."""
    taken = held(sessions)
    earlier = taken[taken["held_on"] < day] if len(taken) else taken
    return earlier.iloc[-1] if len(earlier) else None


def may_record(actor: Actor) -> bool:
    """Whether to offer `actor` the forms at all (the actions check again)."""
    return actor.may(Action.RECORD_REVIEW_SESSION)


def sessions_table(sessions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sessions as people read them, latest first."""
    latest = sessions.iloc[::-1]
    return pd.DataFrame(
        {
            t("session.col_date", lang): latest["held_on"].to_numpy(),
            t("session.col_label", lang): latest["label"].to_numpy(),
            t("session.col_format", lang): [SessionFormat(f).label(lang) for f in latest["format"]],
            t("session.col_state", lang): [SessionState(s).badge(lang) for s in latest["state"]],
        }
    )


@dataclass(frozen=True)
class SessionLink:
    id: int
    label: str


def session_links(sessions: pd.DataFrame, lang: str) -> list[SessionLink]:
    """One link per session, latest first: its date, title and state."""
    return [
        SessionLink(
            int(row.id),
            f"{d(row.held_on, lang)} — {row.label} · {SessionState(row.state).badge(lang)}",
        )
        for row in sessions.iloc[::-1].itertuples(index=False)
    ]


def one_session(sessions: pd.DataFrame, session_id: int) -> pd.Series:
    found = sessions[sessions["id"] == session_id] if len(sessions) else sessions
    if found.empty:
        raise NotFound("session.error_unknown", id=str(session_id))
    return found.iloc[0]


def agenda_keys(row: pd.Series) -> list[str] | None:
    """The agenda as the secretariat arranged it, or None (the proposed one)."""
    return None if row["agenda"] is None else list(json.loads(row["agenda"]))


def decisions_frame(session: Session) -> pd.DataFrame:
    """Every decision, oldest first, with the proposals it concerns
    (`numbers`, a tuple) and its owner's code."""
    rows = session.execute(
        select(Decision, ReviewSession.held_on, Organisation.code)
        .join(ReviewSession, ReviewSession.id == Decision.review_session_id)
        .outerjoin(Organisation, Organisation.id == Decision.owner_id)
        .options(selectinload(Decision.proposals))
        .order_by(ReviewSession.held_on, Decision.id)
    ).all()
    return pd.DataFrame.from_records(
        [
            {
                "id": row.id,
                "session_id": row.review_session_id,
                "session_held_on": held_on,
                "text_fr": row.text_fr,
                "text_en": row.text_en,
                "numbers": tuple(p.number for p in row.proposals),
                "owner": owner,
                "due_on": row.due_on,
                "state": row.state,
                "state_changed_on": row.state_changed_on,
                "version": row.version,
            }
            for row, held_on, owner in rows
        ],
        columns=DECISION_COLUMNS,
    )


def open_decisions(decisions: pd.DataFrame, day: date) -> pd.DataFrame:
    """The decisions taken on or before `day` and still open at its end."""
    if decisions.empty:
        return decisions
    taken = decisions[decisions["session_held_on"] <= day]
    still_open = [
        state == DecisionState.OPEN.value or changed > day
        for state, changed in zip(taken["state"], taken["state_changed_on"], strict=True)
    ]
    return taken[still_open]


def overdue_decisions(decisions: pd.DataFrame, day: date) -> pd.DataFrame:
    """The decisions open at the end of `day` whose due date has passed."""
    still = open_decisions(decisions, day)
    if still.empty:
        return still
    return still[[due is not None and due < day for due in still["due_on"]]]


def changes_at_session(session: Session, session_id: int) -> pd.DataFrame:
    """The follow-up changes recorded at a session, by proposal then field."""
    rows = session.execute(
        select(
            Proposal.number,
            ProposalChange.field,
            ProposalChange.old_value,
            ProposalChange.new_value,
            ProposalChange.changed_at,
            ProposalChange.id,
        )
        .join(Proposal, Proposal.id == ProposalChange.proposal_id)
        .where(ProposalChange.review_session_id == session_id)
        # Sorted here, not by the database: ordering by number made SQLite walk
        # a million history rows by proposal (7.5 s) instead of this session's
        # few through their index (migration 0008).
    ).all()
    frame = pd.DataFrame.from_records(
        [tuple(r) for r in rows],
        columns=["number", "field", "old_value", "new_value", "changed_at", "id"],
    )
    return frame.sort_values(["number", "id"]).drop(columns="id").reset_index(drop=True)
