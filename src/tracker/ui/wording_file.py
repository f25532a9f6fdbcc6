"""The administration's « Libellé officiel depuis un fichier »: export the
catalogue, upload it corrected, see every change old → new, save them in one
transaction. Layout only: the catalogue's action checks and writes."""

from __future__ import annotations

import streamlit as st

from tracker.catalogue import actions as catalogue_actions
from tracker.catalogue import wording
from tracker.contributions.files import read_table
from tracker.db.engine import reading
from tracker.domain.permissions import Actor
from tracker.i18n import t
from tracker.ui.database import engine
from tracker.ui.errors import described

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export(fmt: str) -> bytes:
    with reading(engine()) as session:
        return wording.to_file(wording.wording_frame(session), fmt)


def _preview(table) -> wording.WordingPreview:
    with reading(engine()) as session:
        return wording.preview_wording(session, table.header, table.rows, table.lines)


def wording_file_section(actor: Actor, lang: str, flash_key: str) -> None:
    st.header(t("wording.heading", lang))
    st.caption(t("wording.lead", lang))
    columns = st.columns(4)
    for column, fmt in zip(columns, ("csv", "xlsx"), strict=False):
        column.download_button(
            t(f"wording.export_{fmt}", lang),
            data=lambda fmt=fmt: _export(fmt),
            file_name=f"catalogue-propositions.{fmt}",
            mime=MIME[fmt],
            icon=":material/download:",
            on_click="ignore",
            key=f"wording_export_{fmt}",
        )
    generation = st.session_state.setdefault("wording_upload_generation", 0)
    uploaded = st.file_uploader(
        t("wording.upload", lang), type=["csv", "xlsx"], key=f"wording_upload_{generation}"
    )
    if uploaded is None:
        return
    table = read_table(uploaded.getvalue(), uploaded.name)
    preview = _preview(table)
    if not preview.ok:
        st.error(t("wording.refused", lang, count=len(preview.problems)), icon=":material/block:")
        for problem in preview.problems:
            st.warning(described(problem, lang), icon=":material/error:")
        return
    if not preview.changes:
        st.info(t("wording.nothing", lang), icon=":material/check:")
        return
    st.info(
        t(
            "wording.preview",
            lang,
            changes=len(preview.changes),
            proposals=len(preview.proposals),
        ),
        icon=":material/preview:",
    )
    st.dataframe(wording.changes_table(preview, lang), hide_index=True, width="stretch")
    if st.button(t("wording.apply", lang), type="primary", icon=":material/save:"):
        done = catalogue_actions.import_wording(
            engine(), actor, table.header, table.rows, table.lines
        )
        st.session_state["wording_upload_generation"] = generation + 1
        st.session_state[flash_key] = t(
            "wording.loaded", lang, changes=len(done.changes), proposals=len(done.proposals)
        )
        st.rerun()
