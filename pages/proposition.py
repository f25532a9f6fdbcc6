"""Proposition: everything about one proposal, with its dated timeline."""

import streamlit as st

from tracker.domain.vocabulary import WordingStatus
from tracker.i18n import d, pct, t
from tracker.services.actors import Action
from tracker.services.contribution_views import public_items
from tracker.services.detail import TIMELINE_SHOWN, parse_number, proposal_view
from tracker.ui import page_file
from tracker.ui.context import (
    current_actor,
    current_language,
    demo_banner,
    friendly_errors,
    md_escape,
    public_of_proposal,
    recent_timeline,
    snapshot,
    view_of,
)
from tracker.ui.followup_form import followup_editor

lang = current_language()
actor = current_actor()
data = snapshot()

# The page keeps a main heading when the address names no proposal (WCAG 2.4.6).
heading = st.empty()
view = None
with friendly_errors(lang):
    number = parse_number(st.query_params.get("n"))
    history, entries = recent_timeline(data, number)
    view = view_of(
        "proposal",
        proposal_view,
        data,
        (data.proposals, history, data.names),
        number,
        lang,
        entries,
    )
    heading.title(t("proposal.heading", lang, number=view.number))
    st.header(view.title)
    wording = WordingStatus(view.wording_status)
    if wording is not WordingStatus.VERBATIM:
        st.badge(wording.badge(lang), color="orange")
        st.caption(wording.definition(lang))
    demo_banner(data, lang)
    st.text(view.summary)
    if view.source_url:
        st.markdown(f"[{t('proposal.source', lang)}]({view.source_url})")
    if view.report_reference:
        st.caption(t("proposal.report_reference", lang, reference=view.report_reference))

    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(
            f"**{t('col.status', lang)}** : {view.status.badge(lang)}"
            if lang == "fr"
            else f"**{t('col.status', lang)}**: {view.status.badge(lang)}"
        )
        st.caption(view.status.definition(lang))
        if view.progress is not None:
            st.progress(
                view.progress / 100,
                text=f"{t('col.progress', lang)} : {pct(view.progress, lang)}"
                if lang == "fr"
                else f"{t('col.progress', lang)}: {pct(view.progress, lang)}",
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
        st.write(t("proposal.lead_owner", lang, owner=view.lead_owner or "—"))
        st.write(t("proposal.co_owners", lang, owners=view.co_owners or "—"))

    st.subheader(t("col.next_steps", lang))
    st.text(view.next_steps or "—")
    st.subheader(t("col.blockers", lang))
    st.text(view.blockers or "—")

    st.subheader(t("contrib.validated_heading", lang))
    public, validated = public_of_proposal(data, view.number)
    items = view_of("public_items", public_items, data, (public,), view.number, lang)
    if not items:
        st.caption(t("contrib.validated_none", lang))
    if validated > len(items):
        st.caption(t("contrib.validated_first", lang, shown=len(items), total=validated))
    for item in items:
        with st.container(border=True):
            st.text(item.title)
            st.caption(md_escape(item.organisation))
            for label, value in item.lines:
                st.caption(label)
                st.text(value)

    if actor.may(Action.EDIT_FOLLOWUP):
        followup_editor(actor, data, view.number, lang)

    st.subheader(t("proposal.timeline", lang))
    if not view.timeline:
        st.caption(t("proposal.no_history", lang))
    if view.timeline_total > TIMELINE_SHOWN:
        st.caption(
            t("proposal.timeline_latest", lang, shown=TIMELINE_SHOWN, total=view.timeline_total)
        )
    for entry in view.timeline[:TIMELINE_SHOWN]:
        with st.container(border=True):
            st.caption(
                f"{d(entry.when.to_pydatetime(), lang, 'medium')} — {md_escape(entry.author)}"
            )
            st.text(entry.text)
            if entry.comment:
                st.text(entry.comment)

if view is None:
    heading.title(t("nav.proposal", lang))

st.page_link(
    page_file("propositions.py"),
    label=t("proposal.back", lang),
    icon=":material/arrow_back:",
    query_params={"lang": lang},
)
