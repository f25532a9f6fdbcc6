"""Administration: accounts, organisations, the catalogue's wording (with its
history) and the audit log."""

import streamlit as st

from tracker.accounts import actions as accounts
from tracker.accounts import links, passwords
from tracker.catalogue import actions as catalogue_actions
from tracker.domain.permissions import Action
from tracker.domain.vocabulary import OrganisationKind, Role, WordingStatus
from tracker.exports import to_csv_bytes
from tracker.followup.detail import timeline
from tracker.i18n import moment, t
from tracker.mail import actions as mail_actions
from tracker.operations.invitation_file import invite_file
from tracker.ui.audit_log import readable
from tracker.ui.database import engine
from tracker.ui.errors import friendly_errors
from tracker.ui.mail_settings import reminder_days_section
from tracker.ui.markdown import md_escape
from tracker.ui.reads import accounts_data, audit_data, outbox_data, wording_history
from tracker.ui.versions import forget_version, seen_version
from tracker.ui.wording_file import wording_file_section
from tracker.ui.workspace import work_page

lang, actor, data = work_page(
    "admin.title", Action.MANAGE_ACCOUNTS, "admin.role_administrator", "admin_flash"
)

people, orgs, catalogue, outbox, log = st.tabs(
    [
        t("admin.tab_accounts", lang),
        t("admin.tab_organisations", lang),
        t("admin.tab_catalogue", lang),
        t("outbox.tab", lang),
        t("admin.tab_audit", lang),
    ]
)

with people, friendly_errors(lang):
    table = accounts_data(actor)
    shown = table.assign(
        role=[Role(r).label(lang) for r in table["role"]],
        organisation=[data.names.get(c, c) for c in table["organisation"]],
        locked_until=[moment(v, lang) if v is not None else "" for v in table["locked_until"]],
    ).rename(columns={c: t(f"admin.col.{c}", lang) for c in table.columns})
    st.dataframe(shown, hide_index=True, width="stretch")
    with st.form("invite", border=True, clear_on_submit=True):
        st.header(t("invite.heading", lang))
        st.caption(t("invite.lead", lang))
        invited_email = st.text_input(t("auth.email", lang), key="invite_email")
        invited_name = st.text_input(t("admin.col.display_name", lang), key="invite_name")
        invited_role = st.selectbox(
            t("admin.col.role", lang),
            [r.value for r in passwords.ACCOUNT_ROLES],
            format_func=lambda r: Role(r).label(lang),
            key="invite_role",
        )
        invited_organisation = st.selectbox(
            t("admin.col.organisation", lang),
            ["", *list(data.names)],
            format_func=lambda c: data.names.get(c, "—"),
            key="invite_organisation",
        )
        invited_lang = st.radio(
            t("invite.language", lang),
            ["fr", "en"],
            format_func=lambda code: t(f"invite.lang_{code}", lang),
            horizontal=True,
            key="invite_lang",
        )
        if st.form_submit_button(t("invite.submit", lang), type="primary"):
            links.invite(
                engine(),
                actor,
                email=invited_email,
                role=invited_role,
                organisation=invited_organisation or None,
                lang=invited_lang,
                display_name=invited_name,
            )
            st.session_state["admin_flash"] = t(
                "invite.done", lang, email=md_escape(invited_email.strip().lower())
            )
            st.rerun()
    with st.form("invite_file", border=True, clear_on_submit=True):
        st.header(t("invite.file_heading", lang))
        st.caption(t("invite.file_lead", lang))
        upload = st.file_uploader(t("invite.file", lang), type=["csv", "xlsx"])
        if st.form_submit_button(t("invite.file_submit", lang)) and upload is not None:
            report = invite_file(engine(), actor, upload.getvalue(), upload.name, lang=lang)
            if report.ok:
                st.session_state["admin_flash"] = t(
                    "invite.file_done", lang, count=len(report.invited)
                )
                st.rerun()
            st.error(t("import.failed", lang, count=len(report.problems)), icon=":material/error:")
            for line, message in report.problems:
                st.text(t("import.problem", lang, line=line, column="-", message=message))
    with st.expander(t("admin.new_account", lang)), st.form("new_account", border=False):
        st.header(t("admin.new_account", lang))
        email = st.text_input(t("auth.email", lang))
        name = st.text_input(t("admin.col.display_name", lang))
        role = st.selectbox(
            t("admin.col.role", lang),
            [r.value for r in passwords.ACCOUNT_ROLES],
            format_func=lambda r: Role(r).label(lang),
        )
        organisation = st.selectbox(
            t("admin.col.organisation", lang),
            ["", *list(data.names)],
            format_func=lambda c: data.names.get(c, "—"),
        )
        password = st.text_input(
            t("auth.password", lang), type="password", help=t("admin.password_help", lang)
        )
        if st.form_submit_button(t("admin.create_account", lang), type="primary"):
            accounts.create_account(
                engine(),
                actor,
                email=email,
                role=role,
                password=password,
                organisation=organisation or None,
                display_name=name,
            )
            st.session_state["admin_flash"] = t(
                "admin.account_created", lang, email=md_escape(email)
            )
            st.rerun()
    c1, c2 = st.columns([3, 1])
    target = c1.selectbox(t("admin.choose_account", lang), list(table["email"]), key="acct")
    if target:
        active = bool(table.loc[table["email"] == target, "active"].iloc[0])
        label = "admin.disable" if active else "admin.enable"
        if c2.button(t(label, lang), key="toggle_account"):
            accounts.set_active(engine(), actor, target, not active)
            st.session_state["admin_flash"] = t(
                "admin.account_changed", lang, email=md_escape(target)
            )
            st.rerun()

with orgs, friendly_errors(lang):
    st.dataframe(
        data.organisations.assign(
            kind=[OrganisationKind(k).label(lang) for k in data.organisations["kind"]]
        ).rename(columns={c: t(f"admin.org.{c}", lang) for c in data.organisations.columns}),
        hide_index=True,
        width="stretch",
    )
    codes = ["", *list(data.organisations["code"])]
    chosen = st.selectbox(
        t("admin.choose_organisation", lang),
        codes,
        format_func=lambda c: data.names.get(c, t("admin.new_organisation", lang)),
    )
    current = (
        data.organisations[data.organisations["code"] == chosen].iloc[0].to_dict() if chosen else {}
    )
    with st.form(f"organisation_{chosen}", border=True):
        code = st.text_input(t("admin.org.code", lang), value=chosen, disabled=bool(chosen))
        short = st.text_input(
            t("admin.org.short_name", lang), value=current.get("short_name") or ""
        )
        full = st.text_input(t("admin.org.full_name", lang), value=current.get("full_name") or "")
        kinds = [k.value for k in OrganisationKind]
        kind = st.selectbox(
            t("admin.org.kind", lang),
            kinds,
            index=kinds.index(current.get("kind") or "autre"),
            format_func=lambda k: OrganisationKind(k).label(lang),
        )
        siren = st.text_input("SIREN", value=current.get("siren") or "")
        website = st.text_input(t("admin.org.website", lang), value=current.get("website") or "")
        if st.form_submit_button(t("admin.save", lang), type="primary"):
            row = {
                "code": chosen or code,
                "short_name": short,
                "full_name": full,
                "kind": kind,
                "siren": siren,
                "website": website,
            }
            catalogue_actions.save_organisation(engine(), actor, row)
            st.session_state["admin_flash"] = t(
                "admin.organisation_saved", lang, code=md_escape(row["code"])
            )
            st.rerun()

with catalogue, friendly_errors(lang):
    numbers = list(data.proposals["number"])
    number = st.selectbox(
        t("label.proposal", lang),
        numbers,
        format_func=lambda x: (
            f"{x}. {data.proposals.loc[data.proposals['number'] == x, f'title_{lang}'].iloc[0]}"
        ),
        key="wording_number",
    )
    row = data.proposals[data.proposals["number"] == number].iloc[0].to_dict()
    version = seen_version(f"proposal_wording_{number}", row["version"])
    with st.form(f"wording_{number}", border=True):
        values = {
            "title_fr": st.text_input(t("field.title_fr", lang), value=row["title_fr"] or ""),
            "title_en": st.text_input(t("field.title_en", lang), value=row["title_en"] or ""),
            "summary_fr": st.text_area(t("field.summary_fr", lang), value=row["summary_fr"] or ""),
            "summary_en": st.text_area(t("field.summary_en", lang), value=row["summary_en"] or ""),
            "source_url": st.text_input(t("field.source_url", lang), value=row["source_url"] or ""),
        }
        wordings = [w.value for w in WordingStatus]
        values["wording_status"] = st.selectbox(
            t("field.wording_status", lang),
            wordings,
            index=wordings.index(row["wording_status"]),
            format_func=lambda w: WordingStatus(w).label(lang),
        )
        if st.form_submit_button(t("admin.save", lang), type="primary"):
            catalogue_actions.edit_wording(
                engine(), actor, number, values, expected_version=version
            )
            forget_version(f"proposal_wording_{number}")
            st.session_state["admin_flash"] = t("admin.wording_saved", lang, number=number)
            st.rerun()
    st.header(t("admin.wording_history", lang))
    for entry in timeline(wording_history(data, number), data.names, lang):
        st.caption(f"{moment(entry.when, lang)} — {md_escape(entry.author)}")
        st.text(entry.text)
    wording_file_section(actor, lang, "admin_flash")

with outbox, friendly_errors(lang):
    box = outbox_data(actor)
    if not box.delivering:
        st.info(t("outbox.not_delivering", lang), icon=":material/outgoing_mail:")
    st.caption(
        t(
            "outbox.counts",
            lang,
            queued=box.counts.get("queued", 0),
            sent=box.counts.get("sent", 0),
            failed=box.counts.get("failed", 0),
        )
    )
    messages = box.messages.assign(
        state=[t(f"outbox.state_{s}", lang) for s in box.messages["state"]],
        created_at=[moment(v, lang) for v in box.messages["created_at"]],
        sent_at=[moment(v, lang) if v is not None else "" for v in box.messages["sent_at"]],
    )[["id", "created_at", "state", "recipient", "subject", "attempts", "sent_at", "last_error"]]
    st.dataframe(
        messages.rename(columns={c: t(f"outbox.col.{c}", lang) for c in messages.columns}),
        hide_index=True,
        width="stretch",
    )
    if len(box.messages):
        chosen = st.selectbox(
            t("outbox.choose", lang),
            list(box.messages["id"]),
            format_func=lambda i: (
                f"{i} — {box.messages.loc[box.messages['id'] == i, 'recipient'].iloc[0]}"
            ),
        )
        state = box.messages.loc[box.messages["id"] == chosen, "state"].iloc[0]
        st.text(outbox_data(actor, int(chosen)).text)
        if state == "failed" and st.button(t("outbox.retry", lang)):
            mail_actions.retry(engine(), actor, int(chosen))
            st.session_state["admin_flash"] = t("outbox.retried", lang, id=int(chosen))
            st.rerun()
    reminder_days_section(actor, lang, "admin_flash")

with log, friendly_errors(lang):
    entries = audit_data(actor)
    st.caption(t("admin.audit_lead", lang, count=len(entries)))
    st.dataframe(readable(entries, lang), hide_index=True, width="stretch")
    st.download_button(
        t("table.download_csv", lang),
        to_csv_bytes(entries),
        file_name="journal-audit.csv",
        mime="text/csv",
        icon=":material/download:",
    )
