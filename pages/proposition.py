"""Proposition: everything about one proposal, with its dated timeline."""

import streamlit as st

from tracker.domain.permissions import Action
from tracker.domain.vocabulary import WordingStatus
from tracker.followup.detail import TIMELINE_SHOWN, parse_number
from tracker.followup.past import AS_OF
from tracker.followup.table import FILTER_KEYS, list_params
from tracker.i18n import d, labelled, moment, pct, t
from tracker.ui import page_file
from tracker.ui.as_of import day_chooser, past_state_notice, requested_day
from tracker.ui.auth import current_actor
from tracker.ui.errors import friendly_errors
from tracker.ui.followup_form import followup_editor
from tracker.ui.language import current_language
from tracker.ui.markdown import inert, message
from tracker.ui.reads import proposal_data
from tracker.ui.widgets import demo_banner

lang = current_language()
actor = current_actor()
day = requested_day(lang)

# The page keeps a main heading when the address names no proposal (WCAG 2.4.6).
heading = st.empty()
view = None
with friendly_errors(lang):
    number = parse_number(st.query_params.get("n"))
    page = proposal_data(number, day, lang, actor)
    view = page.view
    heading.title(t("proposal.heading", lang, number=view.number))
    st.header(inert(view.title))
    wording = WordingStatus(view.wording_status)
    if wording is not WordingStatus.VERBATIM:
        st.badge(wording.badge(lang), color="orange")
        st.caption(wording.definition(lang))
    demo_banner(page.data.is_demo, lang)
    past_state_notice(day, lang)
    day_chooser(day, lang)
    st.text(view.summary)
    if view.source_url:
        st.markdown(f"[{t('proposal.source', lang)}]({view.source_url})")
    if view.report_reference:
        st.caption(message("proposal.report_reference", lang, reference=view.report_reference))

    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(labelled(f"**{t('col.status', lang)}**", view.status.badge(lang), lang))
        st.caption(view.status.definition(lang))
        if view.progress is not None:
            st.progress(
                view.progress / 100,
                text=labelled(t("col.progress", lang), pct(view.progress, lang), lang),
            )
        else:
            st.caption(t("proposal.no_progress", lang))
        st.write(t("proposal.last_assessed", lang, date=d(view.last_assessed_on, lang)))
        st.write(t("proposal.target", lang, date=d(view.target_date, lang)))
    with right.container(border=True):
        st.write(t("proposal.theme", lang, theme=view.primary_theme.badge(lang)))
        if view.secondary_themes:
            st.write(
                t(
                    "proposal.secondary",
                    lang,
                    themes=", ".join(x.label(lang) for x in view.secondary_themes),
                )
            )
        st.write(message("proposal.lead_owner", lang, owner=view.lead_owner or "—"))
        st.write(message("proposal.co_owners", lang, owners=view.co_owners or "—"))

    st.subheader(t("col.next_steps", lang))
    st.text(view.next_steps or "—")
    st.subheader(t("col.blockers", lang))
    st.text(view.blockers or "—")

    st.subheader(t("contrib.validated_heading", lang))
    # The first ones, as the public saw them at the end of `day` (or now).
    items, validated = page.items, page.validated
    if not items:
        st.caption(t("contrib.validated_none", lang))
    if validated > len(items):
        st.caption(t("contrib.validated_first", lang, shown=len(items), total=validated))
    for item in items:
        with st.container(border=True):
            st.text(item.title)
            st.caption(inert(item.organisation))
            for label, value in item.lines:
                st.caption(label)
                st.text(value)

    if not page.decisions.empty:
        st.subheader(t("proposal.decisions", lang))
        st.dataframe(page.decisions, hide_index=True, width="stretch")

    if actor.may(Action.EDIT_FOLLOWUP) and day is None:  # a past state is not edited
        followup_editor(actor, page.data, view.number, lang)

    st.subheader(t("proposal.timeline", lang))
    if not view.timeline:
        st.caption(t("proposal.no_history", lang))
    if view.timeline_total > TIMELINE_SHOWN:
        st.caption(
            t("proposal.timeline_latest", lang, shown=TIMELINE_SHOWN, total=view.timeline_total)
        )
    for entry in view.timeline[:TIMELINE_SHOWN]:
        with st.container(border=True):
            st.caption(f"{moment(entry.when, lang)} — {inert(entry.author)}")
            st.text(entry.text)
            if entry.comment:
                st.text(entry.comment)

if view is None:
    heading.title(t("nav.proposal", lang))

# Back to the list as it was left: its filters came along in the address
# (owners are kept when the page could read who they are).
came_with = {k: st.query_params.get_all(k) for k in FILTER_KEYS}
owners = list(page.data.names) if view is not None else []
st.page_link(
    page_file("propositions.py"),
    label=t("proposal.back", lang),
    icon=":material/arrow_back:",
    query_params={"lang": lang}
    | ({AS_OF: day.isoformat()} if day else {})
    | list_params(came_with, owners, lang),
)
