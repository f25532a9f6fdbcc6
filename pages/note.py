"""Note de synthèse: the proposals at a date, what changed since the last review
session, the alerts, and the briefing as PDF, PowerPoint, Excel or CSV."""

import streamlit as st

from tracker.briefings import content
from tracker.briefings.documents import FORMATS, MIME_TYPES, render
from tracker.briefings.note import (
    NOTE_KEYS,
    default_since,
    kept_since,
    settings_from_params,
    settings_to_params,
)
from tracker.briefings.spreadsheets import render_contributions_csv
from tracker.domain.vocabulary import ADOPTION_DATE, Status, Theme
from tracker.followup.aggregates import ProposalFilter
from tracker.followup.table import owner_choices
from tracker.i18n import date_input_format, t
from tracker.review_sessions.actions import record_review_session
from tracker.review_sessions.queries import may_record, sessions_table
from tracker.ui.as_of import past_state_notice, sync_query_params
from tracker.ui.auth import current_actor
from tracker.ui.database import engine
from tracker.ui.errors import friendly_errors
from tracker.ui.language import current_language
from tracker.ui.markdown import inert
from tracker.ui.reads import (
    briefing_for_documents,
    briefing_with_all_contributions,
    note_choices_data,
    note_data,
    today,
)
from tracker.ui.widgets import demo_banner, written_dates

lang = current_language()
choices = note_choices_data()
data, sessions = choices.data, choices.sessions
names = data.names
date_format = date_input_format(lang)

st.title(t("note.title", lang))
demo_banner(data.is_demo, lang)
st.write(t("note.lead", lang))

# The address is the note's memory: read it when the widgets are new, so that
# a copied link (dates and filters) opens the same note.
if "note_as_of" not in st.session_state:
    asked = settings_from_params(
        {k: st.query_params.get_all(k) for k in NOTE_KEYS}, list(names), sessions, today(), lang
    )
    for message in asked.warnings:
        st.warning(message, icon=":material/event_busy:")
    st.session_state.update(
        note_as_of=asked.as_of,
        note_since=asked.since,
        note_theme=list(asked.wanted.themes),
        note_status=list(asked.wanted.statuses),
        note_owner=list(asked.wanted.owners),
    )
if st.session_state.pop("note_since_to_last_session", False):
    # A session was just recorded: "since the last session" is what was asked for.
    st.session_state.note_since = default_since(sessions, st.session_state.note_as_of)


def _as_of_changed() -> None:
    """The comparison date stays put, unless it would now come after the situation."""
    since, moved = kept_since(
        st.session_state.note_since, st.session_state.note_as_of, sessions, lang
    )
    st.session_state.note_since = since
    st.session_state.note_since_moved = moved


with st.container(border=True):
    c1, c2 = st.columns(2)
    as_of = c1.date_input(
        t("note.as_of", lang),
        min_value=ADOPTION_DATE,
        max_value=today(),
        format=date_format,
        help=t("note.as_of_help", lang),
        key="note_as_of",
        on_change=_as_of_changed,
    )
    since = c2.date_input(
        t("note.since", lang),
        min_value=ADOPTION_DATE,
        max_value=as_of,
        format=date_format,
        help=t("note.since_help", lang),
        key="note_since",
    )
    moved = st.session_state.pop("note_since_moved", "")
    if moved:
        st.warning(moved, icon=":material/event_repeat:")
    c3, c4, c5 = st.columns(3)
    themes = c3.multiselect(
        t("filter.theme", lang),
        [x.value for x in Theme],
        format_func=lambda c: Theme(c).badge(lang),
        placeholder=t("filter.all", lang),
        key="note_theme",
    )
    statuses = c4.multiselect(
        t("filter.status", lang),
        [s.value for s in Status],
        format_func=lambda c: Status(c).badge(lang),
        placeholder=t("filter.all", lang),
        key="note_status",
    )
    owners = c5.multiselect(
        t("filter.owner", lang),
        owner_choices(data.proposals, names, st.session_state.get("note_owner", [])),
        format_func=names.get,
        placeholder=t("filter.all", lang),
        key="note_owner",
    )
    st.caption(t("note.link_help", lang))

wanted = ProposalFilter(tuple(themes), tuple(statuses), tuple(owners))
sync_query_params(settings_to_params(as_of, since, wanted), NOTE_KEYS)
past_state_notice(as_of if as_of < today() else None, lang, offer_today=False)

with friendly_errors(lang):
    note = note_data(choices, as_of, since, wanted, lang)
    briefing = note.briefing
    st.markdown(
        f"**{inert(content.as_of_line(briefing))}** — {inert(content.since_line(briefing))}"
    )
    st.caption(inert(content.filter_line(briefing)))
    for column, (label, value, help_text) in zip(
        st.columns(5), content.metrics(briefing), strict=False
    ):
        column.metric(label, value, help=help_text, border=True)

    st.header(t("briefing.changes_heading", lang, date=content.long_date(since, lang)))
    st.write(inert(content.comparison_summary(briefing)))
    changes = content.changes_table(briefing)
    if changes.empty:
        st.info(t("briefing.no_changes", lang))
    else:
        st.dataframe(changes, hide_index=True, width="stretch")

    st.header(t("briefing.contributions_heading", lang, date=content.long_date(since, lang)))
    st.write(inert(content.contributions_summary(briefing)))
    validated = note.contributions
    total = content.contributions_total(briefing)
    if total > len(validated):
        st.caption(t("note.contributions_first", lang, shown=len(validated), total=total))
    if not validated.empty:
        st.dataframe(
            written_dates(validated, [t("briefing.col_validated_on", lang)], lang),
            hide_index=True,
            width="stretch",
            column_config={
                t("contrib.field.description", lang): st.column_config.TextColumn(width="large"),
            },
        )
        st.download_button(
            t("note.download_contributions_csv", lang),
            # The downloads list every change and contribution: read on a click.
            data=lambda: render_contributions_csv(briefing_with_all_contributions(briefing)),
            file_name=content.contributions_file_name(briefing),
            mime=MIME_TYPES["csv"],
            icon=":material/download:",
            on_click="ignore",
            key="download_contributions_csv",
        )

    st.header(t("briefing.alerts_heading", lang))
    for kind, found in content.alert_groups(briefing):
        st.markdown(f"{kind.icon} {inert(content.alert_group_line(kind, found, lang))}")

    st.header(t("briefing.blocking_heading", lang))
    st.write(content.blocking_summary(briefing))
    blocking = content.blocking_table(briefing)
    if not blocking.empty:
        st.dataframe(
            written_dates(blocking, [t("col.last_assessed_on", lang)], lang),
            hide_index=True,
            width="stretch",
            column_config={
                t("col.title", lang): st.column_config.TextColumn(width="medium"),
                t("col.blockers", lang): st.column_config.TextColumn(width="large"),
                t("col.next_steps", lang): st.column_config.TextColumn(width="large"),
            },
        )

    st.header(t("note.downloads", lang))
    st.caption(t("note.downloads_help", lang))
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        column.download_button(
            t(f"note.download_{fmt}", lang),
            data=lambda fmt=fmt: render(briefing_for_documents(briefing), fmt),
            file_name=content.file_name(briefing, fmt),
            mime=MIME_TYPES[fmt],
            icon=":material/download:",
            on_click="ignore",
            key=f"download_{fmt}",
        )

st.header(t("session.heading", lang))
if sessions.empty:
    st.caption(t("session.none_yet", lang))
else:
    st.dataframe(
        written_dates(sessions_table(sessions, lang), [t("session.col_date", lang)], lang),
        hide_index=True,
    )
actor = current_actor()
if may_record(actor):
    with st.form("new_session", clear_on_submit=True):
        held_on = st.date_input(
            t("session.date", lang),
            value=today(),
            min_value=ADOPTION_DATE,
            max_value=today(),
            format=date_format,
        )
        label = st.text_input(t("session.label", lang), placeholder=t("session.label_hint", lang))
        if st.form_submit_button(t("session.record", lang), icon=":material/event_available:"):
            with friendly_errors(lang):
                record_review_session(engine(), actor, held_on, label)
                st.session_state.note_since_to_last_session = True
                st.success(t("session.recorded", lang))
                st.rerun()
else:
    st.caption(t("session.reviewers_only", lang))
