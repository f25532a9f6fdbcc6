"""Propositions: the filterable table, shareable by link, downloadable."""

import streamlit as st

from tracker.domain.vocabulary import Status, Theme
from tracker.exports import to_csv_bytes, to_xlsx_bytes
from tracker.followup.aggregates import ProposalFilter, apply_filter
from tracker.followup.past import AS_OF
from tracker.followup.table import (
    FILTER_KEYS,
    ROW_HEIGHT,
    count_sentence,
    filters_to_params,
    grid_height,
    owner_choices,
    parse_filters,
    screen_table,
)
from tracker.followup.views import proposals_table
from tracker.i18n import date_input_format, field_name, percent_sign, t
from tracker.ui import page_file
from tracker.ui.as_of import day_chooser, past_state_notice, requested_day, sync_query_params
from tracker.ui.language import current_language
from tracker.ui.reads import proposals_table_data, today
from tracker.ui.widgets import demo_banner

lang = current_language()
st.title(t("table.title", lang))
banner = st.container()  # the demonstration notice, above what the address asks for
day = requested_day(lang)
page = proposals_table_data(day)
names = page.data.names
proposals = page.proposals
with banner:
    demo_banner(page.data.is_demo, lang)
past_state_notice(day, lang)
day_chooser(day, lang)

# The URL is the filter's memory: read it when the widgets are new (a first
# visit, a link back from a proposal, the browser's back button).
if "f_theme" not in st.session_state:
    parsed = parse_filters({k: st.query_params.get_all(k) for k in FILTER_KEYS}, list(names), lang)
    for message in parsed.warnings:
        st.warning(message, icon=":material/filter_alt_off:")
    st.session_state.update(
        f_theme=list(parsed.filter.themes),
        f_status=list(parsed.filter.statuses),
        f_owner=list(parsed.filter.owners),
        f_q=parsed.filter.query,
        f_stale=parsed.filter.stale_only,
    )

with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    c1.multiselect(
        t("filter.theme", lang),
        [x.value for x in Theme],
        format_func=lambda c: Theme(c).badge(lang),
        key="f_theme",
        placeholder=t("filter.all", lang),
    )
    c2.multiselect(
        t("filter.status", lang),
        [s.value for s in Status],
        format_func=lambda c: Status(c).badge(lang),
        key="f_status",
        placeholder=t("filter.all", lang),
    )
    c3.multiselect(
        t("filter.owner", lang),
        owner_choices(proposals, names, st.session_state.get("f_owner", [])),
        format_func=names.get,
        key="f_owner",
        placeholder=t("filter.all", lang),
    )
    # The search on its own line: its hint and the toggle's label are read whole.
    st.text_input(t("filter.search", lang), key="f_q", placeholder=t("filter.search_hint", lang))
    st.toggle(t("filter.stale", lang), key="f_stale", help=t("filter.stale_help", lang))

wanted = ProposalFilter(
    tuple(st.session_state.f_theme),
    tuple(st.session_state.f_status),
    tuple(st.session_state.f_owner),
    st.session_state.f_q,
    st.session_state.f_stale,
    organisation_names=names,
)
filters = filters_to_params(wanted)
sync_query_params(filters, FILTER_KEYS)

shown = apply_filter(proposals, wanted, day or today())
st.markdown(f"**{count_sentence(len(shown), len(proposals), lang)}**")

table = screen_table(shown, names, lang, day, filters)
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=grid_height(len(table)),  # every row shown: the page scrolls, not the grid
    row_height=ROW_HEIGHT,
    on_select="rerun",
    selection_mode="single-row",
    key="proposals_table",
    column_config={
        t("col.progress", lang): st.column_config.ProgressColumn(
            t("col.progress", lang),
            min_value=0,
            max_value=100,
            format="%d" + percent_sign(lang).replace("%", "%%"),
            help=t("col.progress_help", lang),
        ),
        t("col.link", lang): st.column_config.LinkColumn(
            t("col.link", lang), display_text=t("table.open", lang)
        ),
        t("col.last_assessed_on", lang): st.column_config.DateColumn(
            t("col.last_assessed_on", lang), format=date_input_format(lang)
        ),
        t("col.target_date", lang): st.column_config.DateColumn(
            t("col.target_date", lang), format=date_input_format(lang)
        ),
        # Wide enough for most of a title, narrow enough that status and
        # progress are in view at 1280 px.
        t("col.title", lang): st.column_config.TextColumn(t("col.title", lang), width=300),
    },
)
st.caption(t("table.click_hint", lang))
# The grid is drawn in a canvas that a keyboard cannot open a row of: the same
# choice as a list that works with arrow keys and Enter, and with screen readers.
titles = dict(zip(shown["number"], shown[field_name("title", lang)], strict=True))
chosen = st.selectbox(
    t("a11y.open_proposal", lang),
    list(titles),
    format_func=lambda n: t("a11y.open_option", lang, number=n, title=titles[n]),
    index=None,
    placeholder=t("a11y.open_placeholder", lang),
)
if selection.selection.rows:
    chosen = int(shown["number"].iloc[selection.selection.rows[0]])
if chosen is not None:
    target = {"n": str(chosen), "lang": lang} | ({AS_OF: day.isoformat()} if day else {}) | filters
    st.switch_page(page_file("proposition.py"), query_params=target)

# The files are written when someone asks for one, not at every page run
# (the spreadsheet alone took most of a run).
export = proposals_table(shown, names, lang)
downloads = st.container(horizontal=True, gap="small")  # each button as wide as its label
downloads.download_button(
    t("table.download_csv", lang),
    lambda: to_csv_bytes(export),
    file_name=t("file.proposals", lang) + ".csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
downloads.download_button(
    t("table.download_xlsx", lang),
    lambda: to_xlsx_bytes({t("sheet.proposals", lang): export}),
    file_name=t("file.proposals", lang) + ".xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    on_click="ignore",
)
