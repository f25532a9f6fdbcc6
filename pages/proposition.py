"""Proposition: everything about one proposal, with its dated timeline."""

import streamlit as st

from tracker.contributions.views import public_items
from tracker.domain.permissions import Action
from tracker.domain.vocabulary import WordingStatus
from tracker.followup.detail import TIMELINE_SHOWN, parse_number, proposal_view_at
from tracker.followup.past import AS_OF
from tracker.i18n import d, labelled, pct, t
from tracker.ui import page_file
from tracker.ui.as_of import day_chooser, past_state_notice, requested_day
from tracker.ui.context import (
    PUBLIC_ITEMS_SHOWN,
    current_actor,
    current_language,
    demo_banner,
    friendly_errors,
    history_for_days,
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
day = requested_day(lang)

# The page keeps a main heading when the address names no proposal (WCAG 2.4.6).
heading = st.empty()
view = None
with friendly_errors(lang):
    number = parse_number(st.query_params.get("n"))
    history, entries = recent_timeline(data, number, day)
    # At a past day, the rows that decide the follow-up then.
    state = history_for_days(data, [day]) if day else None
    view = view_of(
        "proposal",
        lambda proposals, history, names, state, number, day, lang, entries: proposal_view_at(
            proposals, history, names, number, day, lang, entries, state
        ),
        data,
        (data.proposals, history, data.names, state),
        number,
        day,
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
    past_state_notice(day, lang)
    day_chooser(day, lang)
    st.text(view.summary)
    if view.source_url:
        st.markdown(f"[{t('proposal.source', lang)}]({view.source_url})")
    if view.report_reference:
        st.caption(t("proposal.report_reference", lang, reference=view.report_reference))

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
        st.write(t("proposal.lead_owner", lang, owner=view.lead_owner or "—"))
        st.write(t("proposal.co_owners", lang, owners=view.co_owners or "—"))

    st.subheader(t("col.next_steps", lang))
    st.text(view.next_steps or "—")
    st.subheader(t("col.blockers", lang))
    st.text(view.blockers or "—")

    st.subheader(t("contrib.validated_heading", lang))
    # The first ones, as the public saw them at the end of `day` (or now).
    public, validated = public_of_proposal(data, view.number, day)
    items = view_of(
        "public_items",
        # `day` only keys the shared cache: `public` is already the state at that day.
        lambda public, number, lang, _day: public_items(public, number, lang)[:PUBLIC_ITEMS_SHOWN],
        data,
        (public,),
        view.number,
        lang,
        day,
    )
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

    if actor.may(Action.EDIT_FOLLOWUP) and day is None:  # a past state is not edited
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
    query_params={"lang": lang} | ({AS_OF: day.isoformat()} if day else {}),
)
