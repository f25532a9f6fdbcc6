"""Contributions: an organisation's own contributions — list, form, submit,
the secretariat's comments — and bulk import and export."""

import streamlit as st

from tracker.domain.vocabulary import ContributionState, Role
from tracker.i18n import t
from tracker.services import contributions, importer
from tracker.services.actors import Action
from tracker.services.contribution_views import working_table
from tracker.ui.context import (
    current_actor,
    current_language,
    demo_banner,
    forget_version,
    friendly_errors,
    in_transaction,
    page_for,
    seen_version,
    snapshot,
)
from tracker.ui.forms import contribution_form

lang = current_language()
actor = current_actor()
data = snapshot()

st.title(t("contrib.title", lang))
demo_banner(data, lang)
page_for(actor, Action.CONTRIBUTE, lang, "contrib.role_contributor")

everyone = actor.role is not Role.CONTRIBUTOR  # an administrator works for any organisation
proposals = dict(zip(data.proposals["number"], data.proposals[f"title_{lang}"], strict=True))
organisations = data.names if everyone else None
# The message after a save has its place even when empty: the elements below
# (the tabs) keep their position, so the browser keeps the tab someone is on.
flash_slot = st.empty()
flash = st.session_state.pop("contrib_flash", None)
if flash:
    flash_slot.success(flash, icon=":material/check_circle:")

own = in_transaction(contributions.working_frame, actor, all_organisations=everyone)
st.write(t("contrib.lead", lang, count=len(own)))

mine, new, bulk = st.tabs(
    [t("contrib.tab_mine", lang), t("contrib.tab_new", lang), t("contrib.tab_import", lang)]
)

with mine:
    if own.empty:
        st.info(t("contrib.none_yet", lang))
    else:
        st.dataframe(working_table(own, lang), hide_index=True, width="stretch")
        chosen = st.selectbox(
            t("contrib.choose", lang),
            list(own["id"]),
            format_func=lambda i: f"{i} — {own.loc[own['id'] == i, 'title'].iloc[0]}",
            key="contrib_chosen",
        )
        row = own[own["id"] == chosen].iloc[0].to_dict()
        state = ContributionState(row["state"])
        version = seen_version(f"contribution_{chosen}", row["version"])
        colon = " :" if lang == "fr" else ":"
        st.markdown(f"**{t('contrib.field.state', lang)}**{colon} {state.badge(lang)}")
        st.caption(state.definition(lang))
        if row["review_comment"]:
            st.warning(t("contrib.reviewer_said", lang), icon=":material/comment:")
            st.text(row["review_comment"])
        if row["has_validated_version"] and state is not ContributionState.VALIDATED:
            st.caption(t("contrib.public_keeps_validated", lang))
        with friendly_errors(lang):
            sent = contribution_form(f"edit_{chosen}", lang, proposals, row, None)
            if sent is not None:
                item = in_transaction(
                    contributions.update, actor, chosen, sent.fields, expected_version=version
                )
                if sent.submit_too and item.state in ("draft", "returned"):
                    in_transaction(
                        contributions.submit, actor, chosen, expected_version=item.version
                    )
                forget_version(f"contribution_{chosen}")
                st.session_state["contrib_flash"] = t("contrib.saved", lang, id=chosen)
                st.rerun()
            c1, c2 = st.columns(2)
            if state in (ContributionState.DRAFT, ContributionState.RETURNED) and c1.button(
                t("contrib.submit", lang), icon=":material/send:", key=f"submit_{chosen}"
            ):
                in_transaction(contributions.submit, actor, chosen, expected_version=version)
                forget_version(f"contribution_{chosen}")
                st.session_state["contrib_flash"] = t("contrib.submitted", lang, id=chosen)
                st.rerun()
            if (
                state in (ContributionState.DRAFT, ContributionState.RETURNED)
                and not row["has_validated_version"]
                and c2.button(
                    t("contrib.delete", lang), icon=":material/delete:", key=f"del_{chosen}"
                )
            ):
                in_transaction(contributions.delete, actor, chosen, expected_version=version)
                forget_version(f"contribution_{chosen}")
                st.session_state["contrib_flash"] = t("contrib.deleted", lang, id=chosen)
                st.rerun()

with new, friendly_errors(lang):
    sent = contribution_form("new_contribution", lang, proposals, {}, organisations)
    if sent is not None:
        item = in_transaction(contributions.create, actor, sent.fields)
        if sent.submit_too:
            in_transaction(contributions.submit, actor, item.id)
        st.session_state["contrib_flash"] = t("contrib.created", lang, id=item.id)
        st.rerun()

with bulk:
    st.write(t("import.lead", lang))
    st.download_button(
        t("import.template", lang),
        importer.template_csv(),
        file_name="modele-contributions.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    upload = st.file_uploader(t("import.file", lang), type=["csv", "xlsx"], key="import_file")
    dry_run = st.checkbox(t("import.dry_run", lang), value=True)
    submit_all = st.checkbox(t("import.submit_all", lang), value=False)
    if upload is not None and st.button(t("import.run", lang), type="primary"):
        report = in_transaction(
            importer.import_contributions,
            actor,
            upload.getvalue(),
            upload.name,
            lang=lang,
            dry_run=dry_run,
            submit=submit_all,
        )
        if report.ok and report.written:
            st.session_state["contrib_flash"] = t(
                "import.done",
                lang,
                rows=report.rows,
                created=report.created,
                updated=report.updated,
            )
            st.rerun()  # the list above shows the new rows
        elif report.ok:
            key = "import.checked"
            st.success(
                t(key, lang, rows=report.rows, created=report.created, updated=report.updated),
                icon=":material/check_circle:",
            )
        else:
            st.error(t("import.failed", lang, count=len(report.problems)), icon=":material/block:")
            st.dataframe(
                {
                    t("import.col.line", lang): [p.line for p in report.problems],
                    t("import.col.column", lang): [p.column for p in report.problems],
                    t("import.col.message", lang): [p.message for p in report.problems],
                },
                hide_index=True,
                width="stretch",
            )
    if not own.empty:
        st.header(t("import.export_heading", lang))
        frame = importer.export_frame(own, public=False)
        e1, e2, _ = st.columns([1, 1, 2])
        e1.download_button(
            t("table.download_csv", lang),
            importer.to_import_csv(frame),
            file_name="contributions.csv",
            mime="text/csv",
            icon=":material/download:",
        )
        e2.download_button(
            t("table.download_xlsx", lang),
            importer.to_import_xlsx(frame),
            file_name="contributions.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
        )
