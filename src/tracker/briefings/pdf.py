"""The briefing note as a PDF of at most two A4 pages, made with ReportLab.

Fonts are the DejaVu files that matplotlib ships, so the note prints the same
on any machine (and has the narrow no-break space French typography needs).
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
    paragraph,
)

from tracker.briefings import content
from tracker.briefings.content import Briefing
from tracker.briefings.figures import png_bytes, progress_by_theme_figure
from tracker.domain.vocabulary import Status, Theme
from tracker.i18n import NARROW_NBSP, locale_tag, t, typography
from tracker.style import (
    BACKGROUND_ALT,
    BLUE_FRANCE,
    BLUE_FRANCE_TINT,
    BORDER,
    RED_MARIANNE,
    RULE,
    rgb,
)
from tracker.style import GREY as GREY_HEX

BLUE = colors.HexColor(BLUE_FRANCE)
RED = colors.HexColor(RED_MARIANNE)
GREY = colors.HexColor(GREY_HEX)
# The « demonstration » watermark: the warning red, almost transparent.
WATERMARK = colors.Color(*(c / 255 for c in rgb(RED_MARIANNE)), alpha=0.07)
MARGIN = 1.4 * cm
MAX_CHANGES = 6
MAX_BLOCKING = 4
MAX_CONTRIBUTIONS = 4
# A table starts on a page only if its header and this many rows fit there.
ROWS_KEPT_WITH_HEADING = 3


@cache
def _fonts() -> tuple[str, str]:
    _keep_narrow_no_break_space()
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def _keep_narrow_no_break_space() -> None:
    """ReportLab breaks lines at U+202F (it splits words with `str.split`, for
    which it is whitespace): a line could then start with « : » or « ». Words
    are split here on breakable whitespace only, no-break spaces kept inside."""
    breakable = "".join(c for c in paragraph._wsc if c not in (NARROW_NBSP, "\u00a0"))
    pattern = re.compile(f"[{re.escape(breakable)}]+")

    def split(text, delim=None):
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if delim is not None:
            return text.split(delim.decode("utf8") if isinstance(delim, bytes) else delim)
        return pattern.split(text)

    paragraph.split = split


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7, leading=8.4),
        "title": ParagraphStyle(
            "title", parent=base, fontName=bold, fontSize=15, leading=18, textColor=BLUE
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=bold,
            fontSize=10.5,
            leading=13,
            textColor=BLUE,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,  # a heading is never the last line of a page
        ),
        "figure": ParagraphStyle(
            "figure", parent=base, fontName=bold, fontSize=14, leading=16, alignment=TA_CENTER
        ),
        "figure_label": ParagraphStyle(
            "figure_label", parent=base, fontSize=7, leading=8.4, alignment=TA_CENTER
        ),
        "demo": ParagraphStyle(
            "demo", parent=base, fontName=bold, fontSize=9, textColor=RED, leading=11
        ),
    }


def _p(text: str, style: ParagraphStyle, lang: str) -> Paragraph:
    return Paragraph(escape(typography(text, lang)), style)


def _numbered_canvas(b: Briefing) -> type[Canvas]:
    return numbered_canvas(content.as_of_line(b), b.is_demo, b.lang)


def numbered_canvas(footer_text: str, is_demo: bool, lang: str) -> type[Canvas]:
    """A canvas that writes `footer_text`, « page n / total » and, for
    demonstration data, the demonstration mark on every page."""
    regular, bold = _fonts()

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, _ = A4
            self.setFont(regular, 7)
            self.setFillColor(GREY)
            footer = typography(
                f"{footer_text} — " + t("briefing.page", lang, page=self._pageNumber, total=total),
                lang,
            )
            self.drawRightString(width - MARGIN, 0.8 * cm, footer)
            if is_demo:
                self.setFillColor(RED)
                self.setFont(bold, 8)
                self.drawString(MARGIN, 0.8 * cm, typography(content.demo_mark(lang), lang))
                self.saveState()
                self.setFillColor(WATERMARK)
                self.setFont(bold, 44)
                self.translate(width / 2, A4[1] / 2)
                self.rotate(35)
                self.drawCentredString(0, 0, typography(content.demo_mark(lang), lang))
                self.restoreState()

    return NumberedCanvas


def kept_together(
    intro: list[Flowable], body: Flowable, width: float, rows: int = ROWS_KEPT_WITH_HEADING
) -> list[Flowable]:
    """`intro` (a heading, a sentence) then `body`, with a page break first
    unless the page still has room for the intro and the start of the body:
    a table's header and its first `rows` rows, or the whole of anything
    else (a chart). A table then never starts with a few rows alone at the
    foot of a page, its heading above them."""
    room = 0.0
    for flowable in intro:
        room += (
            flowable.wrap(width, A4[1])[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        )
    _, height = body.wrap(width, A4[1])
    if isinstance(body, Table):
        height = sum(body._rowHeights[: rows + 1])
    return [CondPageBreak(room + height + body.getSpaceBefore()), *intro, body]


def _metrics_table(b: Briefing, styles: dict[str, ParagraphStyle]) -> Table:
    metrics = content.metrics(b)
    values = [_p(value, styles["figure"], b.lang) for _, value, _ in metrics]
    labels = [_p(label, styles["figure_label"], b.lang) for label, _, _ in metrics]
    width = (A4[0] - 2 * MARGIN) / len(metrics)
    table = Table([values, labels], colWidths=[width] * len(metrics))
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor(BORDER)),
                ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.HexColor(BORDER)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(BLUE_FRANCE_TINT)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


CELL_PADDING = 6  # ReportLab's default left and right padding, in points


def _fitted_widths(data: list[list[Paragraph]], title_column: int) -> list[float]:
    """Each column as wide as its widest single line (header included, in the
    document's language), so that no header or short value wraps; the title
    column takes the rest of the page's width."""
    widths = []
    for column in range(len(data[0])):
        widest = 0.0
        for row in data:
            cell = row[column]
            style = cell.style
            text = cell.getPlainText()
            widest = max(widest, stringWidth(text, style.fontName, style.fontSize))
        widths.append(widest + 2 * CELL_PADDING + 1)
    widths[title_column] = 0
    widths[title_column] = A4[0] - 2 * MARGIN - sum(widths)
    return widths


def _proposals_table(b: Briefing, styles: dict[str, ParagraphStyle]) -> Table:
    lang = b.lang
    cell = styles["cell"]
    bold = ParagraphStyle("head", parent=cell, fontName=_fonts()[1], textColor=colors.white)
    header = [
        t("col.number", lang),
        t("col.title", lang),
        t("col.theme", lang),
        t("col.status", lang),
        t("col.progress", lang),
        t("briefing.col_delta_short", lang),
    ]
    data = [[_p(h, bold, lang) for h in header]]
    rows = b.comparison.rows.sort_values("number")
    for _, row in rows.iterrows():
        status = Status(row["status_after"])
        data.append(
            [
                _p(str(int(row["number"])), cell, lang),
                _p(content.marked_title(b, int(row["number"])), cell, lang),
                _p(Theme(row["primary_theme"]).label(lang), cell, lang),
                _p(status.badge(lang), cell, lang),
                _p(content.progress_text(row["progress_after"], lang), cell, lang),
                _p(content.delta_text(row["progress_delta"], lang), cell, lang),
            ]
        )
    table = Table(data, colWidths=_fitted_widths(data, title_column=1), repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor(RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    style += [
        ("BACKGROUND", (0, i), (-1, i), colors.HexColor(BACKGROUND_ALT))
        for i in range(2, len(data), 2)
    ]
    table.setStyle(TableStyle(style))
    return table


def _listed_section(
    heading: str,
    summary: str,
    listed: tuple[list[str], int],
    more_key: str,
    styles: dict[str, ParagraphStyle],
    lang: str,
) -> list[Paragraph]:
    """A heading, its summary sentence, the first lines as bullets, then
    « … et N autres » (`more_key`) when some were left out."""
    lines, more = listed
    section = [_p(heading, styles["h2"], lang), _p(summary, styles["body"], lang)]
    section += [_p("• " + line, styles["small"], lang) for line in lines]
    if more:
        section.append(_p(t(more_key, lang, count=more), styles["small"], lang))
    return section


def render_pdf(b: Briefing) -> bytes:
    """The briefing note, two A4 pages at most."""
    lang = b.lang
    styles = _styles()
    story: list = [_p(content.title(b), styles["title"], lang)]
    story.append(_p(f"{content.as_of_line(b)} — {content.since_line(b)}", styles["body"], lang))
    story.append(_p(content.filter_line(b), styles["small"], lang))
    if b.is_demo:
        story.append(Spacer(1, 3))
        story.append(_p(t("briefing.demo_notice", lang), styles["demo"], lang))
    story += [Spacer(1, 6), _metrics_table(b, styles)]

    story += _listed_section(
        t("briefing.changes_heading", lang, date=content.long_date(b.since, lang)),
        content.comparison_summary(b),
        content.change_lines(b, MAX_CHANGES),
        "briefing.more_changes",
        styles,
        lang,
    )
    if b.comparison.newly_stalled:
        story.append(
            _p(
                t(
                    "briefing.newly_stalled",
                    lang,
                    numbers=content.numbers_text(b.comparison.newly_stalled, lang),
                ),
                styles["small"],
                lang,
            )
        )
    story.append(
        _p(
            t(
                "briefing.not_assessed_since",
                lang,
                numbers=content.numbers_text(b.comparison.not_assessed_since, lang),
            ),
            styles["small"],
            lang,
        )
    )

    if content.validated_contributions(b) is not None:
        story += _listed_section(
            t("briefing.contributions_heading", lang, date=content.long_date(b.since, lang)),
            content.contributions_summary(b),
            content.contribution_lines(b, MAX_CONTRIBUTIONS),
            "briefing.more_contributions",
            styles,
            lang,
        )

    story.append(_p(t("briefing.alerts_heading", lang), styles["h2"], lang))
    for kind, found in content.alert_groups(b):
        story.append(_p(content.alert_group_line(kind, found, lang), styles["small"], lang))

    story += _listed_section(
        t("briefing.blocking_heading", lang),
        content.blocking_summary(b),
        content.blocking_lines(b, MAX_BLOCKING),
        "briefing.more_blocking",
        styles,
        lang,
    )

    themes = content.themes_shown(b)
    width = A4[0] - 2 * MARGIN
    charts_heading = _p(t("briefing.charts_heading", lang), styles["h2"], lang)
    if themes:
        figure = progress_by_theme_figure(b.state, themes, lang)
        width_in, height_in = figure.get_size_inches()
        chart = Image(
            io.BytesIO(png_bytes(figure)), width=width, height=width * height_in / width_in
        )
        story += kept_together([charts_heading], chart, width)
    else:
        story.append(charts_heading)
        story.append(_p(t("briefing.nothing_selected", lang), styles["body"], lang))

    table_heading = _p(
        t("briefing.table_heading", lang, date=content.long_date(b.as_of, lang)),
        styles["h2"],
        lang,
    )
    story += kept_together([table_heading], _proposals_table(b, styles), width)
    story.append(Spacer(1, 4))
    story.append(
        _p(
            " ".join(
                filter(
                    None,
                    [
                        content.wording_legend(b),
                        t("briefing.generated", lang, date=content.long_date(b.generated_on, lang)),
                        t("briefing.method", lang),
                    ],
                )
            ),
            styles["small"],
            lang,
        )
    )

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=1.4 * cm,
        title=typography(content.title(b), lang),
        author=t("briefing.author", lang),
        lang=locale_tag(lang),
    )
    document.build(story, canvasmaker=_numbered_canvas(b))
    return buffer.getvalue()
