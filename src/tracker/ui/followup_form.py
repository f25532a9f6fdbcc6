"""The secretariat's follow-up form on a proposal's page: layout only; the
service checks the permission, the rules and the version."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import Status
from tracker.followup.actions import edit_followup
from tracker.i18n import t
from tracker.ui.cache import Snapshot
from tracker.ui.database import engine
from tracker.ui.versions import forget_version, seen_version


def _value(value: object) -> object:
    return None if value is None or pd.isna(value) else value


def followup_editor(actor: Actor, data: Snapshot, number: int, lang: str) -> None:
    row = data.proposals[data.proposals["number"] == number].iloc[0].to_dict()
    key = f"proposal_followup_{number}"
    version = seen_version(key, row["version"])
    flash = st.session_state.pop("followup_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    with st.expander(t("review.followup_heading", lang), icon=":material/edit:"):
        with st.form(f"followup_{number}"):
            statuses = [s.value for s in Status]
            left, right = st.columns(2)
            status = left.selectbox(
                t("col.status", lang),
                statuses,
                index=statuses.index(row["status"]),
                format_func=lambda s: Status(s).badge(lang),
            )
            progress = right.number_input(
                t("col.progress", lang),
                min_value=0,
                max_value=100,
                value=None if pd.isna(row["progress"]) else int(row["progress"]),
            )
            owners = sorted(data.names, key=lambda c: data.names[c].casefold())
            lead = left.selectbox(
                t("col.lead_owner", lang),
                ["", *owners],
                index=(
                    ["", *owners].index(row["lead_owner"]) if row["lead_owner"] in owners else 0
                ),
                format_func=lambda c: data.names.get(c, "—"),
            )
            co_owners = right.multiselect(
                t("col.co_owners", lang),
                owners,
                default=[c for c in (row["co_owners"] or "").split("|") if c in owners],
                format_func=data.names.get,
            )
            target = left.date_input(
                t("col.target_date", lang), value=_value(row["target_date"]), format="DD/MM/YYYY"
            )
            assessed = right.date_input(
                t("col.last_assessed_on", lang),
                value=_value(row["last_assessed_on"]),
                format="DD/MM/YYYY",
            )
            texts = {
                name: st.text_area(t(f"field.{name}", lang), value=row[name] or "")
                for name in ("next_steps_fr", "next_steps_en", "blockers_fr", "blockers_en")
            }
            comment = st.text_input(t("review.followup_comment", lang))
            saved = st.form_submit_button(t("admin.save", lang), type="primary")
        if saved:
            changes = {
                "status": status,
                "progress": progress,
                "lead_owner": lead or None,
                "co_owners": co_owners,
                "target_date": target,
                **texts,
            }
            if assessed != _value(row["last_assessed_on"]):
                changes["last_assessed_on"] = assessed  # else a new status dates itself today
            rows = edit_followup(
                engine(),
                actor,
                number,
                changes,
                expected_version=version,
                comment_fr=comment if lang == "fr" else "",
                comment_en=comment if lang == "en" else "",
            )
            forget_version(key)
            st.session_state["followup_flash"] = t("review.followup_saved", lang, count=len(rows))
            st.rerun()
