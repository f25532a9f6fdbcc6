"""Validation: the secretariat's queue, oldest first, with what changed since
the last validated version; validate, or return with a comment."""

import streamlit as st

from tracker.contributions import actions as contributions
from tracker.contributions.views import DETAIL_FIELDS, changes_table, field_label, shown_value
from tracker.domain.permissions import Action
from tracker.domain.vocabulary import ContributionState
from tracker.i18n import field_name, moment, t
from tracker.ui import page_file
from tracker.ui.database import engine
from tracker.ui.errors import friendly_errors
from tracker.ui.markdown import md_escape
from tracker.ui.reads import review_queue_data
from tracker.ui.versions import forget_version, seen_version
from tracker.ui.workspace import work_page

lang, actor, data = work_page("review.title", Action.REVIEW, "review.role_reviewer", "review_flash")


queue = review_queue_data(actor)
proposal_titles = dict(
    zip(data.proposals["number"], data.proposals[field_name("title", lang)], strict=True)
)
st.write(t("review.lead", lang, count=len(queue)))
if not queue:
    st.info(t("review.empty", lang), icon=":material/inbox:")

for item in queue:
    row = item.contribution
    key = f"contribution_{row['id']}"
    version = seen_version(key, row["version"])
    state = ContributionState(row["state"])
    with st.container(border=True):
        st.caption(
            t(
                "review.item_heading",
                lang,
                id=row["id"],
                proposal=row["proposal"],
                organisation=md_escape(row["organisation_name"]),
                submitted=moment(row["submitted_at"], lang) if row["submitted_at"] else "—",
            )
            + f" — {state.badge(lang)}"
        )
        st.text(row["title"])
        if item.duplicates:
            st.warning(
                t(
                    "review.probable_duplicate",
                    lang,
                    ids=", ".join(
                        f"n° {i}" if lang == "fr" else f"No. {i}" for i in item.duplicates
                    ),
                ),
                icon=":material/content_copy:",
            )
        if row["description"]:
            st.text(row["description"])  # read at once, not behind an expander
        st.page_link(
            page_file("proposition.py"),
            label=t("review.open_proposal", lang, number=row["proposal"])
            + f" — {proposal_titles.get(row['proposal'], '')}",
            icon=":material/description:",
            query_params={"n": str(row["proposal"]), "lang": lang},
        )
        if item.first_submission:
            st.caption(t("review.first_submission", lang))
        elif item.changes:
            st.caption(t("review.changes", lang))
            st.dataframe(changes_table(item.changes, lang), hide_index=True, width="stretch")
        else:
            st.caption(t("review.no_public_change", lang))
        with st.expander(t("review.details", lang)):
            for field in (
                *(f for f in DETAIL_FIELDS if f != "description"),
                "contact",
                "created_by",
            ):
                value = row.get(field, None)
                label = (
                    t("review.author", lang) if field == "created_by" else field_label(field, lang)
                )
                st.caption(label)
                st.text(shown_value(field, value, lang))
        if row["review_comment"]:
            st.caption(t("review.previous_comment", lang))
            st.text(row["review_comment"])
        with friendly_errors(lang):
            comment = st.text_area(t("review.comment", lang), key=f"comment_{row['id']}")
            left, right = st.columns(2)
            if left.button(
                t("review.validate", lang),
                key=f"validate_{row['id']}",
                type="primary",
                icon=":material/check:",
            ):
                contributions.validate(
                    engine(),
                    actor,
                    row["id"],
                    comment=comment,
                    expected_version=version,
                )
                forget_version(key)
                st.session_state["review_flash"] = t("review.validated", lang, id=row["id"])
                st.rerun()
            if right.button(
                t("review.send_back", lang), key=f"return_{row['id']}", icon=":material/undo:"
            ):
                contributions.send_back(
                    engine(),
                    actor,
                    row["id"],
                    comment=comment,
                    expected_version=version,
                )
                forget_version(key)
                st.session_state["review_flash"] = t("review.returned", lang, id=row["id"])
                st.rerun()
