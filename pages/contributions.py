"""Contributions: an organisation's own contributions — list, form, submit,
the secretariat's comments — and bulk import and export."""

import streamlit as st

from tracker.contributions import actions as contributions
from tracker.contributions import importer
from tracker.contributions.views import working_table
from tracker.domain.permissions import Action
from tracker.domain.vocabulary import ContributionState, Role
from tracker.errors import ValidationError
from tracker.i18n import colon, field_name, t
from tracker.ui.database import engine
from tracker.ui.errors import friendly_errors
from tracker.ui.forms import contribution_form, forget_problems, problems_of, remember_problems
from tracker.ui.reads import import_templates_data, own_contributions_data
from tracker.ui.versions import forget_version, seen_version
from tracker.ui.workspace import work_page

lang, actor, data = work_page(
    "contrib.title", Action.CONTRIBUTE, "contrib.role_contributor", "contrib_flash"
)

everyone = actor.role is not Role.CONTRIBUTOR  # an administrator works for any organisation
proposals = dict(
    zip(data.proposals["number"], data.proposals[field_name("title", lang)], strict=True)
)
organisations = data.names if everyone else None

own = own_contributions_data(actor, all_organisations=everyone)
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
        st.markdown(f"**{t('contrib.field.state', lang)}**{colon(lang)} {state.badge(lang)}")
        st.caption(state.definition(lang))
        if row["review_comment"]:
            st.warning(t("contrib.reviewer_said", lang), icon=":material/comment:")
            st.text(row["review_comment"])
        if row["has_validated_version"] and state is not ContributionState.VALIDATED:
            st.caption(t("contrib.public_keeps_validated", lang))
        with friendly_errors(lang):
            form = f"edit_{chosen}"
            sent = contribution_form(form, lang, proposals, row, None, problems_of(form))
            if sent is not None:
                try:
                    contributions.update(
                        engine(),
                        actor,
                        chosen,
                        sent.fields,
                        expected_version=version,
                        submit=sent.submit_too,
                    )
                except ValidationError as error:
                    remember_problems(form, error, lang)  # all shown at once, beside each field
                    st.rerun()
                forget_problems(form)
                forget_version(f"contribution_{chosen}")
                saved = "contrib.saved_submitted" if sent.submit_too else "contrib.saved"
                st.session_state["contrib_flash"] = t(saved, lang, id=chosen)
                st.rerun()
            c1, c2 = st.columns(2)
            if state.may_submit and c1.button(
                t("contrib.submit", lang), icon=":material/send:", key=f"submit_{chosen}"
            ):
                contributions.submit(engine(), actor, chosen, expected_version=version)
                forget_version(f"contribution_{chosen}")
                st.session_state["contrib_flash"] = t("contrib.submitted", lang, id=chosen)
                st.rerun()
            if (
                state.may_delete
                and not row["has_validated_version"]
                and c2.button(
                    t("contrib.delete", lang), icon=":material/delete:", key=f"del_{chosen}"
                )
            ):
                contributions.delete(engine(), actor, chosen, expected_version=version)
                forget_version(f"contribution_{chosen}")
                st.session_state["contrib_flash"] = t("contrib.deleted", lang, id=chosen)
                st.rerun()

with new, friendly_errors(lang):
    # A new form (a new key) after each creation: emptied for the next one.
    form = f"new_contribution_{st.session_state.get('new_contribution_count', 0)}"
    sent = contribution_form(form, lang, proposals, {}, organisations, problems_of(form))
    if sent is not None:
        try:
            item = contributions.create(engine(), actor, sent.fields, submit=sent.submit_too)
        except ValidationError as error:
            remember_problems(form, error, lang)  # all shown at once, beside each field
            st.rerun()
        forget_problems(form)
        st.session_state["new_contribution_count"] = (
            st.session_state.get("new_contribution_count", 0) + 1
        )
        created = "contrib.created_submitted" if sent.submit_too else "contrib.created"
        st.session_state["contrib_flash"] = t(created, lang, id=item.id)
        st.rerun()

with bulk:
    st.write(t("import.lead", lang))
    template_xlsx, template_csv = import_templates_data(actor, lang)
    m1, m2, _ = st.columns([1, 1, 2])
    m1.download_button(
        t("import.template_xlsx", lang),
        template_xlsx,
        file_name=t("import.template_file", lang) + ".xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )
    m2.download_button(
        t("import.template", lang),
        template_csv,
        file_name=t("import.template_file", lang) + ".csv",
        mime="text/csv",
        icon=":material/download:",
    )
    upload = st.file_uploader(t("import.file", lang), type=["csv", "xlsx"], key="import_file")
    dry_run = st.checkbox(t("import.dry_run", lang), value=True)
    submit_all = st.checkbox(t("import.submit_all", lang), value=False)
    duplicates_too = st.checkbox(t("import.confirm_duplicates", lang), value=False)
    if upload is not None and st.button(t("import.run", lang), type="primary"):
        report = importer.import_contributions(
            engine(),
            actor,
            upload.getvalue(),
            upload.name,
            lang=lang,
            dry_run=dry_run,
            submit=submit_all,
            confirm_duplicates=duplicates_too,
        )
        counts = dict(
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
        if report.ok and report.written:
            st.session_state["contrib_flash"] = t("import.done", lang, **counts)
            st.rerun()  # the list above shows the new rows
        elif report.ok:
            st.success(t("import.checked", lang, **counts), icon=":material/check_circle:")
        else:
            st.error(t("import.failed", lang, count=len(report.problems)), icon=":material/block:")
            st.dataframe(
                {
                    t("import.col.line", lang): [p.line for p in report.problems],
                    t("import.col.column", lang): [p.heading or p.column for p in report.problems],
                    t("import.col.found", lang): [p.found for p in report.problems],
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
