"""Séance: one session of the working group — its agenda proposed from the
data, the grid that records its follow-up updates in one save, its decisions,
and its minutes (public once published)."""

import pandas as pd
import streamlit as st

from tracker.briefings import session_documents as papers_text
from tracker.briefings.session_documents import SESSION_MIME_TYPES, render
from tracker.domain.vocabulary import SessionState, Status
from tracker.i18n import d, date_input_format, field_name, t
from tracker.review_sessions import actions as sessions
from tracker.review_sessions.actions import RowsRefused
from tracker.review_sessions.queries import may_record
from tracker.review_sessions.rules import blockers_to_review, grid_changes, grid_frame
from tracker.ui import page_file
from tracker.ui.auth import current_actor
from tracker.ui.database import engine
from tracker.ui.errors import described, friendly_errors
from tracker.ui.language import current_language
from tracker.ui.markdown import md_escape
from tracker.ui.reads import session_data
from tracker.ui.versions import forget_version, seen_version
from tracker.ui.widgets import demo_banner

lang = current_language()
actor = current_actor()
date_format = date_input_format(lang)
heading = st.empty()
page = None
with friendly_errors(lang):
    raw = st.query_params.get("id", "")
    session_id = int(raw) if str(raw).isdigit() else 0
    page = session_data(session_id, actor, lang)

if page is None:
    heading.title(t("session.page_title", lang))
    st.page_link(
        page_file("seances.py"), label=t("sessions.back", lang), icon=":material/arrow_back:"
    )
    st.stop()

papers = page.papers
row = papers.session
state = SessionState(row["state"])
secretariat = may_record(actor)
heading.title(papers.title)
demo_banner(page.data.is_demo, lang)
st.markdown(md_escape(papers_text.heading_line(papers)))
st.caption(state.definition(lang))
flash = st.session_state.pop("session_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")
version = seen_version(f"session_{session_id}", int(row["version"]))


def downloads(what: str, formats: tuple[str, ...]) -> None:
    for column, fmt in zip(st.columns(len(formats) + 2), formats, strict=False):
        column.download_button(
            t(f"session.download_{what}_{fmt}", lang),
            data=lambda fmt=fmt: render(papers, what, fmt),
            file_name=papers_text.file_name(papers, what, fmt),
            mime=SESSION_MIME_TYPES[fmt],
            icon=":material/download:",
            on_click="ignore",
            key=f"download_{what}_{fmt}",
        )


# The agenda ------------------------------------------------------------------------
st.header(t("agenda.heading", lang))
st.caption(md_escape(papers_text.since_line(papers)))
agenda = papers.agenda
if secretariat and not state.is_public:
    st.caption(t("agenda.edit_help", lang))
    proposed_keys = {item.key for item in agenda.proposed}
    shown = agenda.items + [item for item in agenda.proposed if item not in agenda.items]
    kept_keys = {item.key for item in agenda.items}
    editor = pd.DataFrame(
        {
            "key": [item.key for item in shown],
            "keep": [item.key in kept_keys for item in shown],
            "order": list(range(1, len(shown) + 1)),
            "item": [item.title for item in shown],
            "why": ["; ".join(item.reasons) for item in shown],
        }
    )
    edited = st.data_editor(
        editor,
        hide_index=True,
        width="stretch",
        disabled=["key", "item", "why"],
        column_order=["keep", "order", "item", "why"],
        column_config={
            "keep": st.column_config.CheckboxColumn(t("agenda.col_keep", lang)),
            "order": st.column_config.NumberColumn(
                t("agenda.col_order", lang), min_value=1, step=1
            ),
            "item": st.column_config.TextColumn(t("agenda.col_item", lang), width="large"),
            "why": st.column_config.TextColumn(t("agenda.col_why", lang), width="large"),
        },
        key=f"agenda_{session_id}",
    )
    titles = papers.titles
    addable = [n for n in sorted(titles) if f"proposal:{n}" not in set(editor["key"])]
    added = (
        st.multiselect(
            t("agenda.add", lang),
            addable,
            format_func=lambda n: t("agenda.proposal_title", lang, number=n, title=titles[n]),
            placeholder=t("agenda.add_placeholder", lang),
            key=f"agenda_add_{session_id}",
        )
        if addable
        else []
    )
    c1, c2, _ = st.columns([1, 1, 2])
    if c1.button(t("agenda.save", lang), icon=":material/save:", key="agenda_save"):
        kept = edited[edited["keep"]].sort_values(["order"], kind="stable")
        keys = list(kept["key"]) + [f"proposal:{n}" for n in added]
        with friendly_errors(lang):
            sessions.save_agenda(engine(), actor, session_id, keys, expected_version=version)
            forget_version(f"session_{session_id}")
            st.session_state["session_flash"] = t("agenda.saved", lang)
            st.rerun()
    if agenda.arranged and c2.button(
        t("agenda.reset", lang), icon=":material/restart_alt:", key="agenda_reset"
    ):
        with friendly_errors(lang):
            sessions.save_agenda(engine(), actor, session_id, None, expected_version=version)
            forget_version(f"session_{session_id}")
            st.session_state["session_flash"] = t("agenda.was_reset", lang)
            st.rerun()
elif agenda.items:
    st.dataframe(papers_text.agenda_table(agenda, lang), hide_index=True, width="stretch")
else:
    st.caption(t("agenda.empty", lang))
downloads("agenda", ("pdf", "docx", "json"))

# Holding the session ---------------------------------------------------------------
if secretariat and state.may_hold:
    st.info(t("session.hold_help", lang), icon=":material/event_available:")
    if st.button(t("session.hold", lang), type="primary", icon=":material/how_to_reg:"):
        with friendly_errors(lang):
            sessions.hold_session(engine(), actor, session_id, expected_version=version)
            forget_version(f"session_{session_id}")
            st.session_state["session_flash"] = t("session.held", lang)
            st.rerun()

# The grid: one save for every update of the session ---------------------------------
if secretariat and state.may_record:
    st.header(t("grid.heading", lang))
    st.caption(t("grid.help", lang, date=d(row["held_on"], lang)))
    on_agenda = sorted({item.ident for item in agenda.items if item.kind == "proposal"})
    every = st.toggle(t("grid.all", lang), value=not on_agenda, key=f"grid_all_{session_id}")
    proposals = page.data.proposals
    opened = grid_frame(proposals, None if every else on_agenda)
    versions = {
        int(n): seen_version(f"grid_{session_id}_{n}", int(v))
        for n, v in zip(proposals["number"], proposals["version"], strict=True)
        if int(n) in set(opened["number"])
    }
    title_column = field_name("title", lang)
    statuses = [s.value for s in Status]
    grid = st.data_editor(
        opened,
        hide_index=True,
        width="stretch",
        disabled=["number", "title_fr", "title_en"],
        column_order=["number", title_column, *opened.columns[3:]],
        column_config={
            "number": st.column_config.NumberColumn(t("col.number", lang), width="small"),
            title_column: st.column_config.TextColumn(t("col.title", lang), width="medium"),
            "status": st.column_config.SelectboxColumn(
                t("col.status", lang),
                options=statuses,
                format_func=lambda s: Status(s).badge(lang),
                required=True,
            ),
            "progress": st.column_config.NumberColumn(
                t("col.progress", lang), min_value=0, max_value=100, step=1
            ),
            "last_assessed_on": st.column_config.DateColumn(
                t("col.last_assessed_on", lang), format=date_format
            ),
            "next_steps_fr": st.column_config.TextColumn(t("col.next_steps_fr", lang)),
            "next_steps_en": st.column_config.TextColumn(t("col.next_steps_en", lang)),
            "blockers_fr": st.column_config.TextColumn(t("col.blockers_fr", lang)),
            "blockers_en": st.column_config.TextColumn(t("col.blockers_en", lang)),
        },
        key=f"grid_{session_id}_{'all' if every else 'agenda'}",
    )
    changes = grid_changes(opened, grid)
    for number in blockers_to_review(opened, changes):
        st.warning(t("grid.review_blockers", lang, number=number), icon=":material/rule:")
    st.caption(t("grid.pending", lang, count=len(changes)))
    if st.button(
        t("grid.save", lang),
        type="primary",
        icon=":material/save:",
        disabled=not changes,
        key="grid_save",
    ):
        with friendly_errors(lang):
            try:
                done = sessions.record_session_updates(
                    engine(), actor, session_id, changes, versions=versions
                )
            except RowsRefused as refused:
                st.error(described(refused, lang), icon=":material/block:")
                for problem in refused.problems:
                    st.warning(
                        t("grid.row_refused", lang, number=problem.number)
                        + " "
                        + t(problem.message_key, lang, **problem.params),
                        icon=":material/error:",
                    )
            else:
                for number in versions:
                    forget_version(f"grid_{session_id}_{number}")
                st.session_state.pop(f"grid_{session_id}_{'all' if every else 'agenda'}", None)
                st.session_state["session_flash"] = t(
                    "grid.saved", lang, proposals=len(done.changed), fields=done.fields_written
                )
                st.rerun()

# Decisions -------------------------------------------------------------------------
st.header(t("decisions.taken_heading", lang))
if papers.taken.empty:
    st.caption(t("minutes.no_decisions", lang))
else:
    st.dataframe(
        papers_text.decisions_table(papers.taken, papers), hide_index=True, width="stretch"
    )
if secretariat and state.may_record:
    names = page.data.names
    with st.form(f"decision_{session_id}", clear_on_submit=True, border=True):
        st.subheader(t("decisions.new", lang))
        text_fr = st.text_area(t("decision.text_fr", lang))
        text_en = st.text_area(t("decision.text_en", lang))
        c1, c2, c3 = st.columns(3)
        numbers = c1.multiselect(
            t("decision.col_proposals", lang),
            sorted(papers.titles),
            format_func=lambda n: t(
                "agenda.proposal_title", lang, number=n, title=papers.titles[n]
            ),
        )
        owners = sorted(names, key=lambda c: names[c].casefold())
        owner = c2.selectbox(
            t("decision.col_owner", lang), ["", *owners], format_func=lambda c: names.get(c, "—")
        )
        due = c3.date_input(t("decision.col_due", lang), value=None, format=date_format)
        if st.form_submit_button(t("decisions.record", lang), icon=":material/gavel:"):
            with friendly_errors(lang):
                decision = sessions.record_decision(
                    engine(),
                    actor,
                    session_id,
                    text_fr=text_fr,
                    text_en=text_en,
                    numbers=numbers,
                    owner=owner or None,
                    due_on=due,
                )
                st.session_state["session_flash"] = t("decisions.recorded", lang, id=decision.id)
                st.rerun()

# The minutes -----------------------------------------------------------------------
if state.was_held:
    st.header(t("minutes.heading", lang))
    st.subheader(t("minutes.attendance", lang))
    st.text(str(row["attendance"] or "") or t("minutes.no_attendance", lang))
    st.subheader(t("minutes.changes", lang))
    if papers.changes.empty:
        st.caption(t("minutes.no_changes", lang))
    else:
        st.dataframe(papers_text.changes_table(papers), hide_index=True, width="stretch")
    st.subheader(t("minutes.decisions_followed", lang))
    if papers.followed.empty:
        st.caption(t("minutes.no_followed", lang))
    else:
        st.dataframe(
            papers_text.decisions_table(papers.followed, papers), hide_index=True, width="stretch"
        )
    st.subheader(t("minutes.contributions", lang))
    st.caption(t("minutes.contributions_count", lang, count=sum(papers.contributions.values())))
    contributions = papers_text.contributions_table(papers)
    if not contributions.empty:
        st.dataframe(contributions, hide_index=True, width="stretch")
    downloads("minutes", ("pdf", "docx"))

if secretariat and state.may_publish:
    with st.form(f"publish_{session_id}", border=True):
        st.subheader(t("minutes.publish_heading", lang))
        attendance = st.text_area(
            t("minutes.attendance", lang),
            value=str(row["attendance"] or ""),
            help=t("minutes.attendance_help", lang),
        )
        if st.form_submit_button(
            t("minutes.publish", lang), type="primary", icon=":material/public:"
        ):
            with friendly_errors(lang):
                sessions.publish_minutes(
                    engine(), actor, session_id, attendance=attendance, expected_version=version
                )
                forget_version(f"session_{session_id}")
                st.session_state["session_flash"] = t("minutes.published", lang)
                st.rerun()

st.page_link(
    page_file("seances.py"),
    label=t("sessions.back", lang),
    icon=":material/arrow_back:",
    query_params={"lang": lang},
)
