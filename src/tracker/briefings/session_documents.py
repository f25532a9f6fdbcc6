"""A session's agenda and minutes, as documents: PDF (ReportLab) and Word
(DOCX, python-docx: ministry notes are written in Word), and JSON for the
agenda. One content each (`SessionPapers`), every format drawn from it.

The minutes say: who attended, the follow-up changes recorded at the session,
the decisions taken, the decisions followed from earlier sessions, and the
contributions validated since the previous session.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from tracker import clock
from tracker.briefings.agenda import Agenda, agenda_table, build_agenda, decision_text
from tracker.briefings.content import number_label
from tracker.catalogue import queries as catalogue_queries
from tracker.contributions.history import validated_counts_between
from tracker.db import settings
from tracker.domain.vocabulary import ADOPTION_DATE, DecisionState, SessionFormat, SessionState
from tracker.followup import queries
from tracker.followup.detail import shown_value
from tracker.followup.views import organisation_names
from tracker.i18n import d, field_name, t, typography
from tracker.review_sessions.queries import (
    agenda_keys,
    changes_at_session,
    decisions_frame,
    one_session,
    open_decisions,
    overdue_decisions,
    review_sessions_frame,
    session_before,
)

FIELD_LABELS = {
    "status": "col.status",
    "progress": "col.progress",
    "lead_owner": "col.lead_owner",
    "co_owners": "col.co_owners",
    "target_date": "col.target_date",
    "last_assessed_on": "col.last_assessed_on",
    "next_steps_fr": "col.next_steps_fr",
    "next_steps_en": "col.next_steps_en",
    "blockers_fr": "col.blockers_fr",
    "blockers_en": "col.blockers_en",
}


@dataclass(frozen=True)
class SessionPapers:
    """Everything a session's agenda and minutes show, read once."""

    lang: str
    session: pd.Series  # the session's row (`review_sessions_frame`)
    agenda: Agenda
    changes: pd.DataFrame  # the follow-up changes recorded at the session
    taken: pd.DataFrame  # the decisions taken at it
    followed: pd.DataFrame  # decisions of earlier sessions still open then, or closed since
    contributions: dict[int, int]  # validated since the previous session, per proposal
    titles: dict[int, str]
    names: dict[str, str]
    is_demo: bool

    @property
    def title(self) -> str:
        return str(self.session["label"])

    @property
    def day(self) -> date:
        return self.session["held_on"]

    @property
    def state(self) -> SessionState:
        return SessionState(self.session["state"])


def load_papers(session: Session, session_id: int, lang: str, today: date | None = None):
    """Read everything the agenda and minutes of session `session_id` need."""
    sessions = review_sessions_frame(session)
    row = one_session(sessions, session_id)
    proposals = queries.proposals_frame(session)
    decisions = decisions_frame(session)
    names = organisation_names(catalogue_queries.organisations_frame(session))
    today = today or clock.today()
    day = row["held_on"]
    # The agenda compares the previous session held with the session's day (or
    # today, for one to come): only the history rows that decide those two
    # states are read, however long the history (a million rows at national scale).
    previous = session_before(sessions, day)
    since = previous["held_on"] if previous is not None else ADOPTION_DATE
    at = min(day, today)
    history = queries.history_for_days(session, (min(since, at), at))
    # The agenda's contributions: validated since the previous session held.
    counts = validated_counts_between(session, min(since, at), at)
    agenda = build_agenda(
        proposals,
        history,
        sessions,
        decisions,
        counts,
        day=day,
        today=today,
        lang=lang,
        arranged=agenda_keys(row),
    )
    taken = decisions[decisions["session_id"] == session_id] if len(decisions) else decisions
    followed = _followed(decisions, session_id, day)
    return SessionPapers(
        lang=lang,
        session=row,
        agenda=agenda,
        changes=changes_at_session(session, session_id),
        taken=taken,
        followed=followed,
        contributions=counts,
        titles=dict(zip(proposals["number"], proposals[field_name("title", lang)], strict=True)),
        names=names,
        is_demo=settings.is_demo(session),
    )


def _followed(decisions: pd.DataFrame, session_id: int, day: date) -> pd.DataFrame:
    """Decisions of earlier sessions: those still open on `day`, and those
    closed on it (followed up at this session)."""
    if decisions.empty:
        return decisions
    earlier = decisions[
        (decisions["session_id"] != session_id) & (decisions["session_held_on"] < day)
    ]
    still = open_decisions(earlier, day)
    closed_then = earlier[
        [
            s != DecisionState.OPEN.value and c == day
            for s, c in zip(earlier["state"], earlier["state_changed_on"], strict=True)
        ]
    ]
    return pd.concat([still, closed_then]).drop_duplicates("id").sort_values("id")


# ---- Sentences and tables ---------------------------------------------------------


def heading_line(p: SessionPapers) -> str:
    return t(
        "minutes.when",
        p.lang,
        date=d(p.day, p.lang),
        format=SessionFormat(p.session["format"]).label(p.lang),
        state=p.state.label(p.lang),
    )


def since_line(p: SessionPapers) -> str:
    if p.agenda.previous_label:
        return t(
            "agenda.since_session",
            p.lang,
            date=d(p.agenda.since, p.lang),
            label=p.agenda.previous_label,
        )
    return t("agenda.since_adoption", p.lang, date=d(p.agenda.since, p.lang))


def changes_table(p: SessionPapers) -> pd.DataFrame:
    lang = p.lang
    rows = p.changes
    return pd.DataFrame(
        {
            t("col.number", lang): rows["number"].astype(int).to_numpy() if len(rows) else [],
            t("col.title", lang): [p.titles.get(int(n), "") for n in rows["number"]],
            t("briefing.col_field", lang): [t(FIELD_LABELS[f], lang) for f in rows["field"]],
            t("briefing.col_old", lang): [
                shown_value(f, v, p.names, lang)
                for f, v in zip(rows["field"], rows["old_value"], strict=True)
            ],
            t("briefing.col_new", lang): [
                shown_value(f, v, p.names, lang)
                for f, v in zip(rows["field"], rows["new_value"], strict=True)
            ],
        }
    )


def decisions_table(decisions: pd.DataFrame, p: SessionPapers) -> pd.DataFrame:
    lang = p.lang
    return pd.DataFrame(
        {
            t("decision.col_id", lang): decisions["id"].astype(int).to_numpy()
            if len(decisions)
            else [],
            t("decision.col_text", lang): [
                decision_text(row, lang) for row in decisions.itertuples(index=False)
            ],
            t("decision.col_proposals", lang): [
                ", ".join(number_label(n, lang) for n in numbers) or "—"
                for numbers in decisions["numbers"]
            ],
            t("decision.col_owner", lang): [
                p.names.get(code, code) if code else "—" for code in decisions["owner"]
            ],
            t("decision.col_due", lang): [d(v, lang, "medium") for v in decisions["due_on"]],
            t("decision.col_state", lang): [
                DecisionState(s).label(lang) for s in decisions["state"]
            ],
        }
    )


def contributions_table(p: SessionPapers) -> pd.DataFrame:
    lang = p.lang
    numbers = [n for n, count in sorted(p.contributions.items()) if count]
    return pd.DataFrame(
        {
            t("col.number", lang): numbers,
            t("col.title", lang): [p.titles.get(n, "") for n in numbers],
            t("minutes.col_contributions", lang): [p.contributions[n] for n in numbers],
        }
    )


def agenda_json(p: SessionPapers) -> bytes:
    """The agenda as data: the session, then each item with why it is there."""
    document = {
        "session": {
            "id": int(p.session["id"]),
            "date": p.day.isoformat(),
            "title": p.title,
            "format": p.session["format"],
            "state": p.session["state"],
        },
        "since": p.agenda.since.isoformat(),
        "arranged": p.agenda.arranged,
        "items": [
            {
                "key": item.key,
                "kind": item.kind,
                "id": item.ident,
                "title": item.title,
                "reasons": list(item.reasons),
                "proposed_from_data": item.proposed,
            }
            for item in p.agenda.items
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def file_name(p: SessionPapers, what: str, fmt: str) -> str:
    return f"{t(f'file.{what}', p.lang)}-{p.day.isoformat()}.{fmt}"


# ---- The sections both documents draw -------------------------------------------------


def _sections(p: SessionPapers, what: str) -> list[tuple[str, str | None, pd.DataFrame | None]]:
    """(heading, sentence, table) in order, for `what` = "agenda" or "minutes"."""
    lang = p.lang
    if what == "agenda":
        return [
            (
                t("agenda.heading", lang),
                since_line(p) if p.agenda.items else t("agenda.empty", lang),
                agenda_table(p.agenda, lang) if p.agenda.items else None,
            )
        ]
    attendance = str(p.session["attendance"] or "").strip()
    return [
        (t("minutes.attendance", lang), attendance or t("minutes.no_attendance", lang), None),
        (
            t("minutes.changes", lang),
            t("minutes.changes_count", lang, count=len(p.changes))
            if len(p.changes)
            else t("minutes.no_changes", lang),
            changes_table(p) if len(p.changes) else None,
        ),
        (
            t("minutes.decisions_taken", lang),
            None if len(p.taken) else t("minutes.no_decisions", lang),
            decisions_table(p.taken, p) if len(p.taken) else None,
        ),
        (
            t("minutes.decisions_followed", lang),
            None if len(p.followed) else t("minutes.no_followed", lang),
            decisions_table(p.followed, p) if len(p.followed) else None,
        ),
        (
            t("minutes.contributions", lang),
            since_line(p)
            + " "
            + t("minutes.contributions_count", lang, count=sum(p.contributions.values())),
            contributions_table(p) if any(p.contributions.values()) else None,
        ),
    ]


_DOCUMENT_TITLES = {"agenda": "agenda.document_title", "minutes": "minutes.document_title"}


def _document_title(p: SessionPapers, what: str) -> str:
    return t(_DOCUMENT_TITLES[what], p.lang, title=p.title)


def column_widths(table: pd.DataFrame, total: float) -> list[float]:
    """Each column's width (in the unit of `total`, the table's width, taken
    as centimetres for the minimum): first room for its header's longest word
    and its shortest values, never cut inside a word; the rest shared by what
    the columns hold (a title or a reason gets it, a number stays narrow)."""
    per_char, padding = 0.2, 0.45  # cm, at the tables' 9–10 pt
    minimums, weights = [], []
    for name in table.columns:
        values = [str(v) for v in table[name]]
        word = max((len(w) for w in str(name).split()), default=1)
        shortest_word = max((len(w) for v in values for w in v.split()), default=1)
        minimums.append(padding + per_char * max(word, min(shortest_word, 12)))
        lengths = sorted(len(v) for v in values) or [0]
        weights.append(min(lengths[int(0.9 * (len(lengths) - 1))], 70))
    spare = max(total - sum(minimums), 0)
    weight = sum(weights) or 1
    return [low + spare * w / weight for low, w in zip(minimums, weights, strict=True)]


# ---- Word -----------------------------------------------------------------------------


def render_docx(p: SessionPapers, what: str) -> bytes:
    """The agenda or the minutes as a Word document: real headings (Titre 1,
    Titre 2) and real tables, French typography, the demonstration mark in
    every page's header for demonstration data."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt, RGBColor

    lang = p.lang
    typed = lambda text: typography(str(text), lang)  # noqa: E731
    document = Document()
    document.core_properties.title = typed(_document_title(p, what))
    document.core_properties.author = t("briefing.author", lang)
    document.core_properties.language = "fr-FR" if lang == "fr" else "en-GB"
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(10)
    if p.is_demo:
        header = document.sections[0].header.paragraphs[0]
        run = header.add_run(typed(t("briefing.demo_mark", lang)))
        run.bold = True
        run.font.color.rgb = RGBColor(0xE1, 0x00, 0x0F)
    document.add_heading(typed(_document_title(p, what)), level=1)
    document.add_paragraph(typed(heading_line(p)))
    if p.is_demo:
        notice = document.add_paragraph()
        run = notice.add_run(typed(t("briefing.demo_notice", lang)))
        run.bold = True
        run.font.color.rgb = RGBColor(0xE1, 0x00, 0x0F)
    for heading, sentence, table in _sections(p, what):
        document.add_heading(typed(heading), level=2).paragraph_format.keep_with_next = True
        if sentence:
            said = document.add_paragraph(typed(sentence))
            said.paragraph_format.keep_with_next = table is not None
        if table is not None:
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            grid.autofit = False
            widths = [Cm(size) for size in column_widths(table, 16.5)]
            for cell, name in zip(grid.rows[0].cells, table.columns, strict=True):
                cell.text = typed(name)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for values in table.itertuples(index=False):
                cells = grid.add_row().cells
                for cell, value in zip(cells, values, strict=True):
                    cell.text = typed(value)
            # Word reads the cells' widths, LibreOffice the grid's: both are set.
            for column, size in zip(grid.columns, widths, strict=True):
                column.width = size
            for row in grid.rows:
                for cell, size in zip(row.cells, widths, strict=True):
                    cell.width = size
            _keep_rows_whole(grid)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ROWS_KEPT_WITH_HEADING = 3


def _keep_rows_whole(grid) -> None:
    """A Word table that reads across pages: its header row repeated on each
    page, no row split between two pages, and its header kept on the page of
    its first rows (Word keeps a paragraph « with the next »: the cells of
    the header and of the first rows but the last are)."""
    from docx.oxml import OxmlElement

    for index, row in enumerate(grid.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index == 0:
            properties.append(OxmlElement("w:tblHeader"))
        if index < min(ROWS_KEPT_WITH_HEADING, len(grid.rows) - 1):
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


# ---- PDF ------------------------------------------------------------------------------


def render_pdf(p: SessionPapers, what: str) -> bytes:
    """The agenda or the minutes as an A4 PDF, with tables that repeat their
    header, page numbers and the demonstration mark for demonstration data."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from tracker.briefings.pdf import (
        BLUE,
        MARGIN,
        _fonts,
        _p,
        _styles,
        kept_together,
        numbered_canvas,
    )
    from tracker.i18n import locale_tag
    from tracker.style import BACKGROUND_ALT, RULE

    lang = p.lang
    styles = _styles()
    cell = styles["cell"]
    bold = ParagraphStyle("head", parent=cell, fontName=_fonts()[1], textColor=colors.white)
    story: list = [_p(_document_title(p, what), styles["title"], lang)]
    story.append(_p(heading_line(p), styles["body"], lang))
    if p.is_demo:
        story.append(_p(t("briefing.demo_notice", lang), styles["demo"], lang))
    width = A4[0] - 2 * MARGIN
    for heading, sentence, table in _sections(p, what):
        intro = [_p(heading, styles["h2"], lang)]
        if sentence:
            intro.append(_p(sentence, styles["body"], lang))
        if table is None:
            story += intro
        else:
            data = [[_p(str(c), bold, lang) for c in table.columns]]
            data += [[_p(str(v), cell, lang) for v in row] for row in table.itertuples(index=False)]
            widths = [size * cm for size in column_widths(table, width / cm)]
            grid = Table(data, colWidths=widths, repeatRows=1)
            style = [
                ("BACKGROUND", (0, 0), (-1, 0), BLUE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor(RULE)),
            ]
            style += [
                ("BACKGROUND", (0, i), (-1, i), colors.HexColor(BACKGROUND_ALT))
                for i in range(2, len(data), 2)
            ]
            grid.setStyle(TableStyle(style))
            story += kept_together([*intro, Spacer(1, 3)], grid, width)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=1.4 * cm,
        title=typography(_document_title(p, what), lang),
        author=t("briefing.author", lang),
        lang=locale_tag(lang),
    )
    footer = typography(f"{p.title} — {d(p.day, lang)}", lang)
    document.build(story, canvasmaker=numbered_canvas(footer, p.is_demo, lang))
    return buffer.getvalue()


SESSION_MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def render(p: SessionPapers, what: str, fmt: str) -> bytes:
    """`what` ("agenda" or "minutes") in `fmt` ("pdf", "docx"; "json" for the agenda)."""
    if fmt == "docx":
        return render_docx(p, what)
    if fmt == "pdf":
        return render_pdf(p, what)
    if fmt == "json" and what == "agenda":
        return agenda_json(p)
    raise ValueError(f"{what} {fmt}")


def decisions_register(
    decisions: pd.DataFrame, names: dict[str, str], today: date, lang: str
) -> pd.DataFrame:
    """The register of decisions (« relevé de décisions »): the open ones first,
    overdue said, oldest due first; then the closed ones, latest closed first."""
    if decisions.empty:
        return pd.DataFrame()
    overdue = set(overdue_decisions(decisions, today)["id"])
    is_open = decisions["state"] == DecisionState.OPEN.value
    ordered = pd.concat(
        [
            decisions[is_open].sort_values(["due_on", "id"], na_position="last"),
            decisions[~is_open].sort_values(["state_changed_on", "id"], ascending=False),
        ]
    )

    def state_text(row) -> str:
        text = DecisionState(row.state).badge(lang)
        return f"{text} — {t('decisions.overdue', lang)}" if row.id in overdue else text

    return pd.DataFrame(
        {
            t("decision.col_id", lang): ordered["id"].astype(int).to_numpy(),
            t("decision.col_session", lang): [
                d(v, lang, "medium") for v in ordered["session_held_on"]
            ],
            t("decision.col_text", lang): [
                decision_text(row, lang) for row in ordered.itertuples(index=False)
            ],
            t("decision.col_proposals", lang): [
                ", ".join(number_label(n, lang) for n in numbers) or "—"
                for numbers in ordered["numbers"]
            ],
            t("decision.col_owner", lang): [
                names.get(code, code) if code else "—" for code in ordered["owner"]
            ],
            t("decision.col_due", lang): [d(v, lang, "medium") for v in ordered["due_on"]],
            t("decision.col_state", lang): [
                state_text(row) for row in ordered.itertuples(index=False)
            ],
        }
    )
