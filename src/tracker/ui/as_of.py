"""The date a public page shows (`?as_of=YYYY-MM-DD`), and the notice that
says, on the page itself, that it is a past state."""

from __future__ import annotations

from datetime import date

import streamlit as st

from tracker.briefings.content import long_date
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.followup.past import AS_OF, parse_day
from tracker.i18n import date_input_format, t
from tracker.ui.reads import today


def requested_day(lang: str) -> date | None:
    """The day the address asks for (None: now); a value that cannot be used
    is said so on the page, never an error."""
    asked = parse_day(st.query_params.get(AS_OF), today(), lang)
    for warning in asked.warnings:
        st.warning(warning, icon=":material/event_busy:")
    return asked.day


def _back_to_today() -> None:
    st.query_params.pop(AS_OF, None)


def past_state_notice(day: date | None, lang: str, *, offer_today: bool = True) -> None:
    """A clear notice when the page shows a past state, with a way back to now
    (unless the page has its own date field)."""
    if day is None:
        return
    st.info(t("past.banner", lang, date=long_date(day, lang)), icon=":material/history:")
    if not offer_today:
        return
    st.button(
        t("past.back_to_today", lang),
        icon=":material/today:",
        on_click=_back_to_today,
        key="past_back_to_today",
    )


def sync_query_params(params: dict[str, list[str] | str], managed: tuple[str, ...]) -> None:
    """Write `params` into the address (only what changed, so the browser's
    history is not flooded), and drop the `managed` keys that have no value."""
    for key in managed:
        if key not in params and key in st.query_params:
            del st.query_params[key]
    for key, value in params.items():
        if st.query_params.get_all(key) != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value


DAY_KEY = "page_as_of"


def _day_chosen() -> None:
    chosen = st.session_state.get(DAY_KEY)
    if chosen is None or chosen >= today():
        st.query_params.pop(AS_OF, None)
    else:
        st.query_params[AS_OF] = chosen.isoformat()


def day_chooser(day: date | None, lang: str) -> None:
    """A date field, folded away, that puts the chosen day in the address (so
    the view can be shared as it is)."""
    st.session_state[DAY_KEY] = day or today()  # follows the address
    with st.expander(t("past.choose", lang), icon=":material/history:"):
        st.date_input(
            t("note.as_of", lang),
            min_value=ADOPTION_DATE,
            max_value=today(),
            format=date_input_format(lang),
            help=t("note.as_of_help", lang),
            key=DAY_KEY,
            on_change=_day_chosen,
        )
