"""One named read per page: what the page shows, and what it depends on.

A page reads its widgets, calls its read, draws what it returns. Each read
says what its result depends on in its cached builder's parameters (the
database, the data revision, the day, the language…); the frames it is built
from (`_`-prefixed: not hashed) were read for exactly those, so a page run at
national scale costs a cache look-up, not an aggregation of every
contribution. Reads that depend on who is signed in are never cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
import streamlit as st

from tracker import clock, config
from tracker.accounts import links
from tracker.accounts import queries as account_queries
from tracker.briefings import content
from tracker.briefings.content import Briefing, build_briefing, with_every_contribution
from tracker.briefings.session_documents import SessionPapers, decisions_register, load_papers
from tracker.catalogue.rules import CATALOGUE_FIELDS
from tracker.contributions import history as contribution_history
from tracker.contributions import queries as contribution_queries
from tracker.contributions import template as contribution_template
from tracker.contributions.history import Window, WindowReader
from tracker.contributions.views import PublicItem, contribution_charts, public_items
from tracker.db.engine import reading
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import SessionState
from tracker.errors import NotFound
from tracker.followup import queries
from tracker.followup.aggregates import ProposalFilter
from tracker.followup.dashboard import Chart, DashboardView, dashboard_at, timeline_days
from tracker.followup.detail import TIMELINE_SHOWN, ProposalView, proposal_view_at
from tracker.followup.past import proposals_at
from tracker.followup.rules import FOLLOWUP_FIELDS
from tracker.i18n import t
from tracker.mail import queries as mail_queries
from tracker.review_sessions.queries import (
    may_record,
    one_session,
    open_decisions,
    overdue_decisions,
    public_decisions,
    public_sessions,
)
from tracker.ui.cache import Snapshot, decisions, read, review_sessions, snapshot
from tracker.ui.database import engine, revision

PUBLIC_ITEMS_SHOWN = 100  # on a proposal's page; all of them are in the exports and the API
CONTRIBUTIONS_BETWEEN_SHOWN = 100  # on the note page; all of them are in the downloads


def today() -> date:
    return clock.today()


def _history_for_days(data: Snapshot, days: Sequence[date]) -> pd.DataFrame:
    """The history rows that decide the follow-up at the end of each of `days`."""
    return read(data, "history_for_days", queries.history_for_days, tuple(days))


# Tableau de bord -------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPage:
    data: Snapshot
    view: DashboardView
    contribution_charts: list[Chart]
    decisions_line: str = ""


def dashboard_data(day: date | None, lang: str) -> DashboardPage:
    """The dashboard at the end of `day` (now when None)."""
    data = snapshot()
    today_ = today()
    # Only the history rows that decide the month ends shown (and `day` itself).
    history = _history_for_days(data, timeline_days(day or today_))
    # Counted by the database, as the public saw them at the end of `day` (or now).
    public = read(data, "public_counts", contribution_queries.public_counts, day)
    page = _dashboard(data.url, data.revision, day, today_, lang, data, history, public)
    return replace(page, decisions_line=_open_decisions_line(data, day, today_, lang))


def _open_decisions_line(data: Snapshot, day: date | None, today_: date, lang: str) -> str:
    """« 3 décisions du groupe de travail ouvertes, dont 1 en retard » (those of
    published minutes, as everyone may read them), or nothing."""
    if day is not None:
        return ""
    public = public_decisions(review_sessions(data), decisions(data))
    still = open_decisions(public, today_)
    if still.empty:
        return ""
    late = len(overdue_decisions(public, today_))
    return t("dashboard.open_decisions", lang, count=len(still), overdue=late)


@st.cache_resource(show_spinner=False, max_entries=64)
def _dashboard(
    url: str,
    revision: int,
    day: date | None,
    today_: date,
    lang: str,
    _data: Snapshot,
    _history: pd.DataFrame,
    _public: pd.DataFrame,
) -> DashboardPage:
    numbers = list(_data.proposals["number"])
    return DashboardPage(
        data=_data,
        view=dashboard_at(_data.proposals, _history, _data.names, day, today_, lang),
        contribution_charts=contribution_charts(_public, numbers, lang),
    )


# Propositions ----------------------------------------------------------------


@dataclass(frozen=True)
class ProposalsPage:
    data: Snapshot
    proposals: pd.DataFrame  # as they stood at the end of the day asked for


def proposals_table_data(day: date | None) -> ProposalsPage:
    """The twenty proposals at the end of `day` (now when None), to filter."""
    data = snapshot()
    # At a past day, only the history rows that decide it are read.
    history = _history_for_days(data, [day]) if day else None
    return ProposalsPage(data, proposals_at(data.proposals, history, day))


# Proposition -----------------------------------------------------------------


@dataclass(frozen=True)
class ProposalPage:
    data: Snapshot
    view: ProposalView
    items: list[PublicItem]  # the first validated contributions
    validated: int  # how many validated contributions it has in all
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)  # the register, for it


def proposal_data(
    number: int, day: date | None, lang: str, actor: Actor | None = None
) -> ProposalPage:
    """One proposal at the end of `day` (now when None): its follow-up, its
    latest timeline entries and its first validated contributions, as the
    public saw them then; and the working group's decisions about it (the
    public: those of published minutes)."""
    data = snapshot()
    page = _proposal_at(data, number, day, lang)
    seen = sessions_data(actor) if actor is not None else None
    every = seen.decisions if seen is not None else decisions(data)
    if seen is None or every.empty or day is not None:
        return page
    about = every[[number in numbers for numbers in every["numbers"]]]
    if about.empty:
        return page
    register = decisions_register(about, data.names, today(), lang)
    return replace(page, decisions=register)


def _proposal_at(data: Snapshot, number: int, day: date | None, lang: str) -> ProposalPage:
    timeline, entries = read(
        data, "recent_timeline", queries.recent_timeline, number, TIMELINE_SHOWN, day
    )
    state = _history_for_days(data, [day]) if day else None
    public, validated = read(
        data, "public_of_proposal", _public_of_proposal, number, PUBLIC_ITEMS_SHOWN, day
    )
    return _proposal(
        data.url,
        data.revision,
        number,
        day,
        lang,
        data,
        timeline,
        entries,
        state,
        public,
        validated,
    )


def _public_of_proposal(
    session, number: int, limit: int, day: date | None
) -> tuple[pd.DataFrame, int]:
    shown = contribution_queries.public_frame(session, number=number, limit=limit, until=day)
    return shown, contribution_queries.public_total(session, number, until=day)


@st.cache_resource(show_spinner=False, max_entries=128)
def _proposal(
    url: str,
    revision: int,
    number: int,
    day: date | None,
    lang: str,
    _data: Snapshot,
    _timeline: pd.DataFrame,
    _entries: int,
    _state: pd.DataFrame | None,
    _public: pd.DataFrame,
    _validated: int,
) -> ProposalPage:
    view = proposal_view_at(
        _data.proposals, _timeline, _data.names, number, day, lang, _entries, _state
    )
    items = public_items(_public, number, lang)[:PUBLIC_ITEMS_SHOWN]
    return ProposalPage(_data, view, items, _validated)


# Note de synthèse ------------------------------------------------------------


@dataclass(frozen=True)
class NoteChoices:
    data: Snapshot
    sessions: pd.DataFrame  # the working group's sessions
    decisions: pd.DataFrame  # and its decisions


def note_choices_data() -> NoteChoices:
    """What the note's fields offer: the organisations and the sessions."""
    data = snapshot()
    return NoteChoices(data, review_sessions(data), decisions(data))


@dataclass(frozen=True)
class NotePage:
    briefing: Briefing
    contributions: pd.DataFrame  # the first contributions validated in between, as a table


def note_data(
    choices: NoteChoices, as_of: date, since: date, wanted: ProposalFilter, lang: str
) -> NotePage:
    """The briefing at `as_of` compared with `since`, for the proposals `wanted`;
    the database selects the contributions validated in between."""
    data = choices.data
    history = _history_for_days(data, (since, as_of))
    return _note(
        data.url,
        data.revision,
        as_of,
        since,
        wanted,
        lang,
        today(),
        data,
        history,
        choices.sessions,
        choices.decisions,
        _contributions_between(data),
        read(data, "reported_statuses", contribution_history.reported_statuses_by, as_of),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _note(
    url: str,
    revision: int,
    as_of: date,
    since: date,
    wanted: ProposalFilter,
    lang: str,
    today_: date,
    _data: Snapshot,
    _history: pd.DataFrame,
    _sessions: pd.DataFrame,
    _decisions: pd.DataFrame,
    _between: WindowReader,
    _reported: dict[int, frozenset[str]],
) -> NotePage:
    briefing = build_briefing(
        _data.proposals,
        _history,
        _data.names,
        _sessions,
        is_demo=_data.is_demo,
        as_of=as_of,
        since=since,
        wanted=wanted,
        lang=lang,
        today=today_,
        contributions=_between,
        decisions=_decisions,
        reported=_reported,
    )
    return NotePage(briefing, content.contributions_table(briefing))


def _contributions_between(data: Snapshot) -> WindowReader:
    """What a briefing reads the contributions validated between its two dates
    with: the first ones, and how many there are, selected by the database."""

    def first_ones(since: date, as_of: date, numbers: Sequence[int]) -> Window:
        return read(
            data,
            "contributions_between",
            contribution_history.window_in_database,
            since,
            as_of,
            tuple(numbers),
            CONTRIBUTIONS_BETWEEN_SHOWN,
        )

    return first_ones


def briefing_for_documents(briefing: Briefing) -> Briefing:
    """The briefing with every follow-up change and every contribution
    validated in between, for its documents (read when someone asks for one)."""
    with reading(engine()) as session:
        history = queries.history_frame(session, fields=FOLLOWUP_FIELDS)
        briefing = with_every_contribution(session, briefing)
    return replace(briefing, history=history)


def briefing_with_all_contributions(briefing: Briefing) -> Briefing:
    """The briefing with every contribution validated in between (for the CSV
    of them), read when someone asks for it."""
    with reading(engine()) as session:
        return with_every_contribution(session, briefing)


# Work pages (never cached: they depend on who is signed in) -------------------


def accounts_data(actor: Actor) -> pd.DataFrame:
    """The accounts, for an administrator."""
    with reading(engine()) as session:
        return account_queries.accounts_frame(session, actor)


def audit_data(actor: Actor) -> pd.DataFrame:
    """The audit log, for an administrator."""
    with reading(engine()) as session:
        return account_queries.audit_frame(session, actor)


@dataclass(frozen=True)
class Outbox:
    """The outbox, for an administrator: the latest messages, how many are in
    each state, and the text of the one chosen."""

    messages: pd.DataFrame
    counts: dict[str, int]
    text: str
    delivering: bool  # TRACKER_SMTP_URL is set: a sender delivers them


def outbox_data(actor: Actor, chosen: int | None = None) -> Outbox:
    with reading(engine()) as session:
        return Outbox(
            mail_queries.outbox_frame(session, actor),
            mail_queries.outbox_counts(session, actor),
            mail_queries.message_text(session, actor, chosen) if chosen else "",
            bool(config.smtp_url()),
        )


def preferences_data(actor: Actor) -> tuple[bool, str]:
    """The signed-in account's own settings (never cached)."""
    with reading(engine()) as session:
        return account_queries.preferences(session, actor)


def password_link_data(token: str | None) -> links.Link:
    """What the link of `/mot-de-passe?jeton=…` is (never cached: it is spent once)."""
    with reading(engine()) as session:
        return links.link_state(session, token, at=clock.now())


def wording_history(data: Snapshot, number: int) -> pd.DataFrame:
    """A proposal's catalogue wording changes (public: cached)."""
    return read(data, "wording_history", queries.history_frame, number, CATALOGUE_FIELDS)


def own_contributions_data(actor: Actor, *, all_organisations: bool) -> pd.DataFrame:
    """The contributions this account works on (an administrator's: all of them)."""
    with reading(engine()) as session:
        return contribution_queries.working_frame(
            session, actor, all_organisations=all_organisations
        )


@st.cache_resource(show_spinner=False, max_entries=16)
def _templates(
    _engine, url: str, revision: int, _actor: Actor, role: str, organisation: int | None, lang: str
) -> tuple[bytes, bytes]:
    with reading(_engine) as session:
        return (
            contribution_template.template_xlsx(session, _actor, lang),
            contribution_template.template_csv(session, _actor, lang),
        )


def import_templates_data(actor: Actor, lang: str) -> tuple[bytes, bytes]:
    """The import template (XLSX, CSV) for this account's role and organisation,
    built once per data revision (its lists name the proposals and organisations)."""
    db = engine()
    return _templates(
        db, str(db.url), revision(db), actor, actor.role.value, actor.organisation_id, lang
    )


def review_queue_data(actor: Actor) -> list:
    """The secretariat's queue, oldest first."""
    with reading(engine()) as session:
        return contribution_queries.review_queue(session, actor)


# Séances -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionsPage:
    data: Snapshot
    sessions: pd.DataFrame  # those this person may see: all for the secretariat, else published
    decisions: pd.DataFrame  # the decisions of those sessions


def sessions_data(actor: Actor) -> SessionsPage:
    """The sessions and the register of decisions, as `actor` may see them:
    the public sees the sessions whose minutes are published, and their
    decisions."""
    data = snapshot()
    sessions = review_sessions(data)
    every = decisions(data)
    if not may_record(actor):
        every = public_decisions(sessions, every)
        sessions = public_sessions(sessions)
    return SessionsPage(data, sessions, every)


@dataclass(frozen=True)
class SessionPage:
    data: Snapshot
    papers: SessionPapers  # the agenda, the changes, the decisions, the contributions
    sessions: pd.DataFrame


def session_data(session_id: int, actor: Actor, lang: str) -> SessionPage:
    """One session, its agenda and its minutes; a session whose minutes are not
    published is the secretariat's only (anyone else: not found)."""
    data = snapshot()
    sessions = review_sessions(data)
    row = one_session(sessions, session_id)
    if not may_record(actor) and not SessionState(row["state"]).is_public:
        raise NotFound("session.error_unknown", id=str(session_id))
    papers = read(data, "session_papers", _papers, session_id, lang, today())
    return SessionPage(data, papers, sessions)


def _papers(session, session_id: int, lang: str, today_: date) -> SessionPapers:
    return load_papers(session, session_id, lang, today_)
