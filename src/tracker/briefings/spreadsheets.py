"""The briefing for spreadsheets: an XLSX workbook and a CSV for French Excel,
both through `tracker.services.exports` (formatting, formula neutralising)."""

from __future__ import annotations

import pandas as pd

from tracker.briefings import content
from tracker.briefings.content import Briefing
from tracker.exports import to_csv_bytes, to_xlsx_bytes
from tracker.i18n import date_input_format, t


def workbook_sheets(b: Briefing) -> dict[str, pd.DataFrame]:
    lang = b.lang
    sheets = {
        t("briefing.sheet_figures", lang): content.figures_table(b),
        t("briefing.sheet_proposals", lang): content.proposals_table(b),
        t("briefing.sheet_changes", lang): content.changes_table(b),
        t("briefing.sheet_alerts", lang): content.alerts_table(b),
        t("briefing.sheet_blocking", lang): content.blocking_table(b),
        t("briefing.sheet_history", lang): content.history_table(b),
    }
    if content.validated_contributions(b) is not None:
        sheets[t("briefing.sheet_contributions", lang)] = content.contributions_table(b)
    return sheets


def render_xlsx(b: Briefing) -> bytes:
    return to_xlsx_bytes(workbook_sheets(b), date_format=date_input_format(b.lang))


def render_csv(b: Briefing) -> bytes:
    """One table: each proposal at `as_of`, with where it stood at `since`."""
    return to_csv_bytes(content.proposals_table(b))


def render_contributions_csv(b: Briefing) -> bytes:
    """The contributions validated between the two dates (text as typed by
    organisations, formulas neutralised)."""
    return to_csv_bytes(content.contributions_table(b))
