"""What every page needs: the database, the data snapshot, the language, the banner.

Nothing here holds a business rule: it wires Streamlit to the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker import config
from tracker.db.engine import make_engine, transaction
from tracker.domain.vocabulary import LANGUAGES
from tracker.errors import NotFound, TrackerError, ValidationError
from tracker.i18n import describe, language, t
from tracker.services import queries, settings
from tracker.services.actors import VISITOR, Actor
from tracker.services.review_sessions import review_sessions_frame
from tracker.services.seed import prepare_database
from tracker.services.views import organisation_names


@st.cache_resource(show_spinner=False)
def _engine(url: str, demo: bool) -> Engine:
    db = make_engine(url)
    prepare_database(db, demo=demo)
    return db


def engine() -> Engine:
    """The database engine, created, migrated and seeded on first start."""
    return _engine(config.database_url(), config.demo_requested())


@dataclass(frozen=True)
class Snapshot:
    """The data one page run shows, read once per data revision."""

    proposals: pd.DataFrame
    history: pd.DataFrame
    organisations: pd.DataFrame
    is_demo: bool
    revision: int

    @property
    def names(self) -> dict[str, str]:
        return organisation_names(self.organisations)


@st.cache_data(show_spinner=False, max_entries=4)
def _snapshot(_engine: Engine, url: str, revision: int) -> Snapshot:
    with transaction(_engine) as session:
        return Snapshot(
            proposals=queries.proposals_frame(session),
            history=queries.history_frame(session),
            organisations=queries.organisations_frame(session),
            is_demo=settings.is_demo(session),
            revision=revision,
        )


def snapshot() -> Snapshot:
    """The current data; cached, and re-read as soon as any write bumps the revision."""
    db = engine()
    with transaction(db) as session:
        revision = settings.revision(session)
    return _snapshot(db, str(db.url), revision)


@st.cache_data(show_spinner=False, max_entries=4)
def _review_sessions(_engine: Engine, url: str, revision: int) -> pd.DataFrame:
    with transaction(_engine) as session:
        return review_sessions_frame(session)


def review_sessions() -> pd.DataFrame:
    """The CNCD's recorded review sessions, re-read when the data revision moves."""
    db = engine()
    with transaction(db) as session:
        revision = settings.revision(session)
    return _review_sessions(db, str(db.url), revision)


def current_actor() -> Actor:
    """Who is using the app. There are no accounts yet: everyone is a visitor
    (sign-in, being built separately, will return the signed-in person here)."""
    return VISITOR


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


@contextmanager
def friendly_errors(lang: str) -> Iterator[None]:
    """Named errors become a clear message; nothing else is hidden."""
    try:
        yield
    except NotFound as error:
        st.info(describe(error, lang, markdown=True), icon=":material/search_off:")
    except ValidationError as error:
        st.error(describe(error, lang, markdown=True), icon=":material/block:")
    except TrackerError as error:
        st.error(describe(error, lang, markdown=True), icon=":material/error:")
