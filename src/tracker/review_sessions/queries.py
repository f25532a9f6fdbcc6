"""queries (split from tracker.services.review_sessions)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import Account, ReviewSession
from tracker.domain.permissions import Action, Actor
from tracker.i18n import t

SESSION_COLUMNS = ["held_on", "label", "recorded_by", "recorded_at"]


def review_sessions_frame(session: Session) -> pd.DataFrame:
    """Every recorded session, oldest first. `recorded_by` is the account that
    recorded it; `recorded_by_name`, what a page may show of it (the account's
    display name, never its address)."""
    rows = session.execute(
        select(ReviewSession, Account.display_name)
        .outerjoin(Account, Account.email == ReviewSession.recorded_by)
        .order_by(ReviewSession.held_on)
    ).all()
    return pd.DataFrame.from_records(
        [
            {
                **{c: getattr(row, c) for c in SESSION_COLUMNS},
                "recorded_by_name": shown_name(row.recorded_by, display_name),
            }
            for row, display_name in rows
        ],
        columns=[*SESSION_COLUMNS, "recorded_by_name"],
    )


def shown_name(recorded_by: str, display_name: str | None) -> str:
    """The account's display name; a process's name as it is; never an address."""
    if display_name:
        return display_name
    return "" if "@" in recorded_by else recorded_by


def last_session_before(sessions: pd.DataFrame, day: date) -> date | None:
    """The latest session held strictly before `day` (a session held on the day
    of the briefing is the one being prepared, not the one to compare with)."""
    earlier = [d for d in sessions["held_on"] if d < day]
    return max(earlier) if earlier else None


def may_record(actor: Actor) -> bool:
    """Whether to offer `actor` the form at all (the service checks again)."""
    return actor.may(Action.RECORD_REVIEW_SESSION)


def sessions_table(sessions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sessions as people read them, latest first."""
    latest = sessions.iloc[::-1]
    return pd.DataFrame(
        {
            t("session.col_date", lang): latest["held_on"].to_numpy(),
            t("session.col_label", lang): latest["label"].to_numpy(),
            t("session.col_recorded_by", lang): latest["recorded_by_name"].to_numpy(),
        }
    )
