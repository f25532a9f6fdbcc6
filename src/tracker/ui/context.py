"""What every page needs: the database, the data snapshot, the language, the banner.

Nothing here holds a business rule: it wires Streamlit to the services.
"""

from __future__ import annotations

import html
import os
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker import config, logs
from tracker.accounts import actions as accounts
from tracker.accounts import queries as account_queries
from tracker.accounts import sessions
from tracker.briefings.content import Briefing, with_every_contribution
from tracker.catalogue import queries as catalogue_queries
from tracker.catalogue.rules import CATALOGUE_FIELDS
from tracker.contributions import history as contribution_history
from tracker.contributions import queries as contribution_queries
from tracker.contributions.history import Window, WindowReader
from tracker.db import settings
from tracker.db.engine import make_engine, reading, unavailable_as_named_error
from tracker.domain.permissions import VISITOR, Action, Actor
from tracker.domain.vocabulary import LANGUAGES
from tracker.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    TrackerError,
    ValidationError,
)
from tracker.followup import queries
from tracker.followup.detail import TIMELINE_SHOWN
from tracker.followup.rules import FOLLOWUP_FIELDS
from tracker.followup.views import organisation_names
from tracker.i18n import describe, language, quantity, t
from tracker.operations.seed import prepare_database
from tracker.review_sessions.queries import review_sessions_frame
from tracker.ui import page_file
from tracker.web.auth_routes import SESSION_COOKIE, SIGN_IN_PATH, SIGN_OUT_PATH


@st.cache_resource(show_spinner=False)
def _engine(url: str, demo: bool) -> Engine:
    db = make_engine(url)
    with unavailable_as_named_error():
        prepare_database(db, demo=demo)
    return db


def engine() -> Engine:
    """The database engine, created, migrated and seeded on first start."""
    return _engine(config.database_url(), config.demo_requested())


@st.cache_resource(show_spinner=False)
def _last_read() -> dict[tuple[str, str], object]:
    """The last data read from each database, shared by every session: what a
    page shows, with a clear warning, while the database does not answer, so
    that the page (and the form someone was filling) stays on screen."""
    return {}


UNAVAILABLE_SHOWN = "_service_unavailable_shown"


def _revision(db: Engine) -> int:
    with reading(db) as session:
        return settings.revision(session)


LAST_READ_KEPT = 256


def _remember(key: tuple, value: object) -> None:
    kept = _last_read()
    kept.pop(key, None)
    kept[key] = value
    while len(kept) > LAST_READ_KEPT:
        kept.pop(next(iter(kept)))


def _current(name: str, loader):
    """`loader(engine, url, revision)` for the current revision (cached by
    Streamlit on it); the last value read if the database stops answering."""
    db = engine()
    return _or_last_read((str(db.url), name), lambda: loader(db, str(db.url), _revision(db)))


def _or_last_read(key: tuple, read):
    """`read()`, remembered under `key`; while the database does not answer,
    the value last remembered (with a notice), or the error if there is none."""
    try:
        value = read()
    except ServiceUnavailable:
        if key not in _last_read():
            raise
        service_unavailable_notice(current_language())
        return _last_read()[key]
    _remember(key, value)
    return value


@dataclass(frozen=True)
class Snapshot:
    """The data every page run shows, read once per data revision: the twenty
    proposals and the organisations. (The history, up to millions of rows, is
    never read whole for a page: see `history_for_days` and `read`.)"""

    proposals: pd.DataFrame
    organisations: pd.DataFrame
    names: dict[str, str]  # organisation code → short name
    is_demo: bool
    revision: int


# Cached data is shared, not copied, by every session (`st.cache_resource`):
# nothing a page draws changes it, and a copy per page run (`st.cache_data`
# unpickles one each time) would cost time and memory at national scale.


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(_engine: Engine, url: str, revision: int) -> Snapshot:
    with reading(_engine) as session:
        organisations = catalogue_queries.organisations_frame(session)
        return Snapshot(
            proposals=queries.proposals_frame(session),
            organisations=organisations,
            names=organisation_names(organisations),
            is_demo=settings.is_demo(session),
            revision=revision,
        )


def snapshot() -> Snapshot:
    """The current data; cached, and re-read as soon as any write bumps the revision."""
    return _current("snapshot", _snapshot)


@st.cache_resource(show_spinner=False, max_entries=4)
def _review_sessions(_engine: Engine, url: str, revision: int) -> pd.DataFrame:
    with reading(_engine) as session:
        return review_sessions_frame(session)


def review_sessions() -> pd.DataFrame:
    """The CNCD's recorded review sessions, re-read when the data revision moves."""
    return _current("review_sessions", _review_sessions)


@st.cache_resource(show_spinner=False, max_entries=128)
def _read(_engine: Engine, url: str, revision: int, name: str, arguments: tuple, _reader):
    with reading(_engine) as session:
        return _reader(session, *arguments)


def read(data: Snapshot, name: str, reader, *arguments):
    """`reader(session, *arguments)` (a query of the services), read once per
    data revision (the snapshot's) and arguments, and shared by every session;
    the last value read if the database stops answering."""
    db = engine()
    return _or_last_read(
        (str(db.url), name, arguments),
        lambda: _read(db, str(db.url), data.revision, name, arguments, reader),
    )


def history_for_days(data: Snapshot, days: Sequence[date]) -> pd.DataFrame:
    """The history rows that decide the follow-up at the end of each of `days`."""
    return read(data, "history_for_days", queries.history_for_days, tuple(days))


def recent_timeline(
    data: Snapshot, number: int, day: date | None = None
) -> tuple[pd.DataFrame, int]:
    """A proposal's latest timeline entries (as history rows) up to `day`, and
    how many it has."""
    return read(data, "recent_timeline", queries.recent_timeline, number, TIMELINE_SHOWN, day)


def wording_history(data: Snapshot, number: int) -> pd.DataFrame:
    """A proposal's catalogue wording changes."""
    return read(data, "wording_history", queries.history_frame, number, CATALOGUE_FIELDS)


def public_counts(data: Snapshot, day: date | None = None) -> pd.DataFrame:
    """The validated contributions (as the public saw them at the end of
    `day`, now when None), counted by the database for the charts."""
    return read(data, "public_counts", contribution_queries.public_counts, day)


PUBLIC_ITEMS_SHOWN = 100  # on a proposal's page; all of them are in the exports and the API


def public_of_proposal(
    data: Snapshot, number: int, day: date | None = None
) -> tuple[pd.DataFrame, int]:
    """The first validated contributions to a proposal, and how many there
    are (as the public saw them at the end of `day`, now when None)."""
    return read(data, "public_of_proposal", _public_of_proposal, number, PUBLIC_ITEMS_SHOWN, day)


def _public_of_proposal(
    session, number: int, limit: int, day: date | None
) -> tuple[pd.DataFrame, int]:
    shown = contribution_queries.public_frame(session, number=number, limit=limit, until=day)
    return shown, contribution_queries.public_total(session, number, until=day)


def with_whole_history(db: Engine, briefing: Briefing) -> Briefing:
    """The briefing with every follow-up change and every contribution
    validated in between, for its documents (the spreadsheet lists them all);
    the page itself needs `history_for_days` and the first contributions only."""
    with reading(db) as session:
        history = queries.history_frame(session, fields=FOLLOWUP_FIELDS)
        briefing = with_every_contribution(session, briefing)
    return replace(briefing, history=history)


def with_all_contributions(db: Engine, briefing: Briefing) -> Briefing:
    """The briefing with every contribution validated in between (for the
    CSV of them), read when someone asks for it."""
    with reading(db) as session:
        return with_every_contribution(session, briefing)


CONTRIBUTIONS_BETWEEN_SHOWN = 100  # on the note page; all of them are in the downloads


def contributions_between(data: Snapshot) -> WindowReader:
    """What a briefing on the note page reads the contributions validated
    between its two dates with: the first ones, and how many there are,
    selected by the database, once per data revision, dates and proposals."""

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


@st.cache_resource(show_spinner=False, max_entries=64)
def _view(name: str, url: str, revision: int, arguments: tuple, _build, _inputs: tuple):
    return _build(*_inputs, *arguments)


def view_of(name: str, build, data: Snapshot, inputs: tuple, *arguments):
    """`build(*inputs, *arguments)`, computed once per data revision and
    arguments and shared by every session: a page run at national scale then
    costs a cache look-up, not an aggregation of every contribution.
    (`inputs` are frames read for the snapshot `data`, so its revision stands
    for them; what else they depend on must be among `arguments`.)"""
    return _view(name, str(engine().url), data.revision, arguments, build, inputs)


def today() -> date:
    return date.today()


def current_language() -> str:
    """`?lang=` wins; then the switch's last value; French by default."""
    wanted = st.query_params.get("lang")
    lang = language(wanted) if wanted is not None else st.session_state.get("lang", "fr")
    st.session_state["lang"] = lang
    return lang


def _language_chosen() -> None:
    choice = st.session_state.get("language_switch")
    if choice:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice


def language_switch(lang: str) -> None:
    """The FR/EN switch; it follows `?lang=` and writes it back, so a copied
    link opens in the same language."""
    labels = {"fr": "Français", "en": "English"}
    st.session_state["language_switch"] = lang
    st.sidebar.segmented_control(
        t("nav.language", lang),
        options=list(LANGUAGES),
        format_func=labels.get,
        key="language_switch",
        on_change=_language_chosen,
    )


def demo_banner(data: Snapshot, lang: str) -> None:
    if data.is_demo:
        st.warning(t("banner.demo", lang), icon=":material/science:")


MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(value: object) -> str:
    """Text someone typed, made inert inside a Markdown message (no link,
    image, HTML or Streamlit directive can come out of it)."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(value))


def _described(error: TrackerError, lang: str) -> str:
    # Messages are Markdown; the values they quote may come from users: each is
    # cleaned of control characters and quoted as a code span, shown as typed.
    return describe(error, lang, markdown=True)


def _log_named(error: TrackerError) -> None:
    # The key and the kind only: parameters may quote what someone typed.
    logs.error(type(error).__name__, key=error.key)


def database_answers() -> bool:
    try:
        _revision(engine())
    except ServiceUnavailable:
        return False
    return True


RETRY_EVERY = "5s"


@st.fragment(run_every=RETRY_EVERY)
def _retry_when_back() -> None:
    """While the database does not answer, look again every few seconds and
    run the page again as soon as it does: nobody has to reload anything."""
    if database_answers():
        st.rerun(scope="app")


def service_unavailable_notice(lang: str) -> None:
    """The clear message, once per page run, and the quiet retry."""
    if st.session_state.get(UNAVAILABLE_SHOWN):
        return
    st.session_state[UNAVAILABLE_SHOWN] = True
    logs.error("ServiceUnavailable", key=ServiceUnavailable.key)
    st.error(t(ServiceUnavailable.key, lang), icon=":material/cloud_off:")
    _retry_when_back()


def new_page_run() -> None:
    st.session_state.pop(UNAVAILABLE_SHOWN, None)


@contextmanager
def friendly_errors(lang: str) -> Iterator[None]:
    """Named errors become a clear message; nothing else is hidden."""
    try:
        yield
    except ServiceUnavailable:
        service_unavailable_notice(lang)
    except TrackerError as error:
        _log_named(error)
        _show(error, lang)


def _show(error: TrackerError, lang: str) -> None:
    try:
        raise error
    except NotFound as error:
        st.info(_described(error, lang), icon=":material/search_off:")
    except PermissionDenied as error:
        st.warning(_described(error, lang), icon=":material/lock:")
    except Conflict as error:
        st.error(_described(error, lang), icon=":material/sync_problem:")
    except ValidationError as error:
        st.error(_described(error, lang), icon=":material/block:")
    except TrackerError as error:
        st.error(_described(error, lang), icon=":material/error:")


# Who is signed in ----------------------------------------------------------------
#
# The browser keeps a session token in an HttpOnly cookie that the
# `/auth/session` route sets (tracker.web.auth_routes); every script run finds
# the server-side session from it (tracker.services.sessions). Nothing about
# who is signed in is cached: each run reads the session again.

NOTICE = "auth_notice"  # a message key to show once (session ended…)


def clock() -> datetime:
    """Now, in UTC; tests replace it to move time without sleeping."""
    return datetime.now(UTC)


def session_cookie() -> str | None:
    """The session token this page load's request carried, if any. (AppTest
    cannot send cookies: its tests replace this function.)"""
    value = st.context.cookies.get(SESSION_COOKIE)
    return value if isinstance(value, str) else None


def sso_provider() -> str | None:
    """The `st.login` provider configured in `.streamlit/secrets.toml`, if any."""
    try:
        auth = st.secrets.get("auth", {})
    except FileNotFoundError:
        return None
    except Exception:
        return None
    if not auth:
        return None
    named = [key for key, value in auth.items() if hasattr(value, "keys")]
    return named[0] if named else "default"


def _sso_actor() -> Actor | None:
    """A verified e-mail from single sign-on signs in only to an existing account."""
    if sso_provider() is None or not getattr(st.user, "is_logged_in", False):
        return None
    verified = st.user.get("email_verified") is True or os.environ.get(
        "TRACKER_SSO_EMAIL_VERIFIED", ""
    ).strip().lower() in {"1", "true", "yes", "oui"}
    email = st.user.get("email")
    if not email or not verified:
        return None
    with reading(engine()) as session:
        return account_queries.actor_for_verified_email(session, str(email))


def current_actor() -> Actor:
    """The signed-in actor, or VISITOR. A session idle for longer than
    `TRACKER_IDLE_MINUTES` (30 by default) or older than 12 hours ends here (with a message, once); a disabled
    account stops at its next click."""
    token = session_cookie()
    if token:
        try:
            found = sessions.resolve(engine(), token, at=clock())
        except ServiceUnavailable:
            # While the database does not answer nothing can be saved; the person
            # this browser session last resolved keeps the page and its forms.
            remembered = st.session_state.get(LAST_ACTOR)
            if remembered is None or remembered[0] != token:
                raise
            service_unavailable_notice(current_language())
            return remembered[1]
        if found.notice:
            st.session_state[NOTICE] = found.notice
        if found.actor is not None:
            st.session_state[LAST_ACTOR] = (token, found.actor)
            return found.actor
    st.session_state.pop(LAST_ACTOR, None)
    return _sso_actor() or VISITOR


LAST_ACTOR = "last_resolved_actor"


def session_text(key: str, lang: str) -> str:
    """A message about sessions (why one ended, the rules), with this server's
    idle timeout in it."""
    return t(key, lang, minutes=quantity(config.idle_minutes(), lang))


def sign_in(email: str, password: str) -> str | None:
    """Check the password (failures are committed, so that they count); on
    success, the one-time code that the browser exchanges for its session."""
    return accounts.sign_in(engine(), email, password, at=clock(), client=_client()).code


def _client() -> str:
    """Who is trying, for the limit on attempts: the connection's IP address, or
    this browser session when it has none (a visitor on localhost)."""
    address = st.context.ip_address
    if address:
        return f"ip:{address}"
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return f"session:{ctx.session_id}" if ctx is not None else ""


def sign_out(lang: str) -> None:
    """End this browser's session now, then have the browser clear its cookie
    (the page stops there); the caller reruns when there was no cookie."""
    token = session_cookie()
    if token:
        sessions.sign_out(engine(), token, at=clock())
    if sso_provider() is not None and getattr(st.user, "is_logged_in", False):
        st.logout()  # redirects to Streamlit's own route, which clears its cookie
        return
    if not token:
        st.session_state[NOTICE] = "auth.signed_out"
        return
    st.info(t("auth.signed_out", lang), icon=":material/logout:")
    post_from_browser(SIGN_OUT_PATH, {"next": with_language("/", lang)}, t("session.leaving", lang))
    st.stop()


def with_language(path: str, lang: str) -> str:
    """`path`, in English if that is the current language (`?lang=en`)."""
    if lang != "en" or "lang=" in path:
        return path
    return f"{path}{'&' if '?' in path else '?'}lang=en"


def after_sign_in(lang: str) -> str:
    """Where to go once signed in: the page that sent the person here
    (`?next=`, a path of this site only), or the sign-in page's welcome."""
    wanted = sessions.safe_next(st.query_params.get("next"), default="")
    return wanted or with_language("/connexion", lang)


def post_from_browser(path: str, fields: dict[str, str], label: str) -> None:
    """Make the browser POST `fields` to one of this site's routes, as if a
    form were submitted: a Streamlit page cannot redirect nor set a cookie.
    The form submits itself; its button is there if scripts are blocked."""
    form_id = f"tracker-post-{secrets.token_hex(6)}"
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in fields.items()
    )
    st.html(
        f'<form id="{form_id}" method="post" action="{html.escape(path)}">{inputs}'
        f'<button type="submit">{html.escape(label)}</button></form>'
        f'<script>document.getElementById("{form_id}").submit();</script>',
        unsafe_allow_javascript=True,
    )


def open_session_in_browser(code: str, next_path: str, lang: str) -> None:
    """After a password check: send the browser to `/auth/session`, which sets
    the session cookie and comes back to `next_path`."""
    st.info(t("session.opening", lang), icon=":material/login:")
    post_from_browser(
        SIGN_IN_PATH,
        {"code": code, "next": sessions.safe_next(next_path, default="/connexion")},
        t("session.continue", lang),
    )


def here() -> str:
    """This page's path and query, for coming back after signing in."""
    url = st.context.url
    if not url:
        return ""
    path = urlsplit(url).path or "/"
    query = urlencode(st.query_params.to_dict())
    return sessions.safe_next(f"{path}?{query}" if query else path, default="")


def page_for(actor: Actor, action: Action, lang: str, role_key: str) -> None:
    """Stop the page with a clear message for someone who may not use it.
    (The services refuse the actions anyway: this is only courtesy.)"""
    if actor.may(action):
        return
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(session_text(notice, lang), icon=":material/logout:")
    st.info(t("auth.sign_in_needed", lang, role=t(role_key, lang)), icon=":material/lock:")
    if not actor.signed_in:
        back = here()
        st.page_link(
            page_file("connexion.py"),
            label=t("nav.sign_in", lang),
            icon=":material/login:",
            query_params={"next": back} if back else None,
        )
    st.stop()


def in_transaction(service, /, *args, **kwargs):
    """Run one query in a read-only transaction: `in_transaction(fn, actor, …)`."""
    with reading(engine()) as session:
        return service(session, *args, **kwargs)


def seen_version(key: str, current: int) -> int:
    """The version of a record that the form on screen was drawn from, so that
    a save made over someone else's is refused rather than silently
    overwriting it; and `current` is remembered for the next run.

    A form is sent in the run after the one that drew it: that run's version is
    the one to check. (Keeping the version first seen in the browser session
    instead refused a contributor's correction of a contribution the
    secretariat had returned meanwhile, although the form showed the returned
    version.)"""
    name = f"seen_version_{key}"
    drawn = int(st.session_state.get(name, current))
    st.session_state[name] = int(current)
    return drawn


def forget_version(key: str) -> None:
    st.session_state.pop(f"seen_version_{key}", None)
