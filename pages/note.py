"""Note de synthèse: the proposals at a date, what changed since the last review
session, the alerts, and the briefing as PDF, PowerPoint, Excel or CSV."""

import streamlit as st

from tracker.domain.vocabulary import ADOPTION_DATE, Status, Theme
from tracker.i18n import t
from tracker.services.aggregates import ProposalFilter
from tracker.services.documents import FORMATS, MIME_TYPES, content, render
from tracker.services.documents.content import build_briefing
from tracker.services.review_sessions import (
    add_review_session,
    last_session_before,
    may_record,
    sessions_table,
)
from tracker.services.table import owner_choices
from tracker.ui.context import (
    current_actor,
    current_language,
    demo_banner,
    engine,
    friendly_errors,
    history_for_days,
    review_sessions,
    snapshot,
    today,
    with_whole_history,
)

lang = current_language()
data = snapshot()
sessions = review_sessions()
names = data.names
date_format = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"

st.title(t("note.title", lang))
demo_banner(data, lang)
st.write(t("note.lead", lang))

with st.container(border=True):
    c1, c2 = st.columns(2)
    as_of = c1.date_input(
        t("note.as_of", lang),
        value=today(),
        min_value=ADOPTION_DATE,
        max_value=today(),
        format=date_format,
        help=t("note.as_of_help", lang),
    )
    since = c2.date_input(
        t("note.since", lang),
        value=last_session_before(sessions, as_of) or ADOPTION_DATE,
        min_value=ADOPTION_DATE,
        max_value=today(),
        format=date_format,
        help=t("note.since_help", lang),
    )
    c3, c4, c5 = st.columns(3)
    themes = c3.multiselect(
        t("filter.theme", lang),
        [x.value for x in Theme],
        format_func=lambda c: Theme(c).badge(lang),
        placeholder=t("filter.all", lang),
    )
    statuses = c4.multiselect(
        t("filter.status", lang),
        [s.value for s in Status],
        format_func=lambda c: Status(c).badge(lang),
        placeholder=t("filter.all", lang),
    )
    owners = c5.multiselect(
        t("filter.owner", lang),
        owner_choices(data.proposals, names),
        format_func=names.get,
        placeholder=t("filter.all", lang),
    )

with friendly_errors(lang):
    briefing = build_briefing(
        data.proposals,
        history_for_days(data, (since, as_of)),
        names,
        sessions,
        is_demo=data.is_demo,
        as_of=as_of,
        since=since,
        wanted=ProposalFilter(tuple(themes), tuple(statuses), tuple(owners)),
        lang=lang,
        today=today(),
    )
    st.markdown(f"**{content.as_of_line(briefing)}** — {content.since_line(briefing)}")
    st.caption(content.filter_line(briefing))
    for column, (label, value, help_text) in zip(
        st.columns(5), content.metrics(briefing), strict=False
    ):
        column.metric(label, value, help=help_text, border=True)

    st.header(t("briefing.changes_heading", lang, date=content.long_date(since, lang)))
    st.write(content.comparison_summary(briefing))
    changes = content.changes_table(briefing)
    if changes.empty:
        st.info(t("briefing.no_changes", lang))
    else:
        st.dataframe(changes, hide_index=True, width="stretch")

    st.header(t("briefing.alerts_heading", lang))
    for kind, found in content.alert_groups(briefing):
        st.markdown(f"{kind.icon} {content.alert_group_line(kind, found, lang)}")

    st.header(t("note.downloads", lang))
    database = engine()  # the documents list every change: read when one is asked for
    st.caption(t("note.downloads_help", lang))
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        column.download_button(
            t(f"note.download_{fmt}", lang),
            data=lambda fmt=fmt: render(with_whole_history(database, briefing), fmt),
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
        sessions_table(sessions, lang),
        hide_index=True,
        column_config={
            t("session.col_date", lang): st.column_config.DateColumn(format=date_format)
        },
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
                add_review_session(engine(), actor, held_on, label)
                st.success(t("session.recorded", lang))
                st.rerun()
else:
    st.caption(t("session.reviewers_only", lang))
