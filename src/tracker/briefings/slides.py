"""The briefing as a PowerPoint deck: title, key figures, one slide per theme
with a native (editable) chart and its proposals, the changes, the alerts."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.opc.constants import RELATIONSHIP_TYPE
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from tracker.briefings import content, measure
from tracker.briefings.content import Briefing
from tracker.domain.vocabulary import Status, Theme
from tracker.i18n import clean_value, d, locale_tag, percent_sign, t, typography
from tracker.style import BLUE_FRANCE, RED_MARIANNE

TITLE_ONLY = 5
MAX_CHANGE_ROWS = 10
MAX_CONTRIBUTION_ROWS = 10
MAX_BLOCKING_ROWS = 6

# The slide's bands, from the top (inches): the title, the body, a note (the
# wording legend, « … et N autres »), the footer. Nothing in one reaches into
# the next.
BODY_TOP = 1.3
BODY_BOTTOM = 6.4
NOTE_TOP = 6.45
NOTE_HEIGHT = 0.4
FOOTER_TOP = 6.95
FOOTER_HEIGHT = 0.35
# python-pptx's table cells: 0.1 in left and right, 0.05 in top and bottom.
CELL_SIDES = Pt(14.4)
CELL_ENDS = Pt(7.2)
LINE_SPACING = 1.2
SMALLEST_TABLE_TEXT = 8


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


BLUE = _rgb(BLUE_FRANCE)
RED = _rgb(RED_MARIANNE)


def _percent_format(lang: str) -> str:
    """Excel's number format for a percentage: `0" %"` / `0"%"`."""
    return f'0"{percent_sign(lang)}"'


def _slide(deck: Deck, b: Briefing, heading: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = typography(heading, b.lang)
    title_frame = slide.shapes.title.text_frame
    title_frame.paragraphs[0].font.size = Pt(28)
    title_frame.paragraphs[0].font.color.rgb = BLUE
    _place(slide.shapes.title, Inches(0.4), Inches(0.3), Inches(12.5), Inches(0.9))
    _footer(slide, b)
    return slide


def _place(shape, left, top, width, height) -> None:
    """The default template's placeholders are laid out for 4:3; this deck is 16:9."""
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _footer(slide: Slide, b: Briefing) -> None:
    box = slide.shapes.add_textbox(
        Inches(0.5), Inches(FOOTER_TOP), Inches(12.3), Inches(FOOTER_HEIGHT)
    )
    box.name = "Footer"
    paragraph = box.text_frame.paragraphs[0]
    paragraph.text = typography(content.as_of_line(b), b.lang)
    paragraph.font.size = Pt(10)
    if b.is_demo:
        run = paragraph.add_run()
        run.text = "   ⚠ " + content.demo_mark(b.lang)
        run.font.bold = True
        run.font.color.rgb = RED


def _text(
    slide: Slide, lines: list[str], left, top, width, height, size: int = 14, lang: str = "fr"
) -> None:
    """Lines of text in a box; the text is made smaller until it fits the box."""
    lines = [typography(line, lang) for line in lines]
    inner = Emu(width - Inches(0.2)).pt  # a text box's insets: 0.1 in each side
    while size > 9:
        needed = sum(measure.lines(x, inner, size) * size * LINE_SPACING + 4 for x in lines)
        if Pt(needed) + Inches(0.1) <= height:
            break
        size -= 1
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.space_after = Pt(4)


def _note(slide: Slide, text: str, lang: str) -> None:
    """A line in the note band, between the body and the footer."""
    _text(
        slide,
        [text],
        Inches(0.5),
        Inches(NOTE_TOP),
        Inches(12.3),
        Inches(NOTE_HEIGHT),
        size=11,
        lang=lang,
    )


def column_widths(
    header: list[str], rows: list[list[str]], width: int, flexible: int, size: int
) -> list[int]:
    """Each column's width (EMU): room for its longest word (a header is
    never broken inside a word) and, where the table's width allows, for its
    longest value on one line; the `flexible` column (a title) takes the rest."""

    def points(values: list[str], bold: bool, size: float, longest: bool) -> float:
        measured = measure.longest_word if longest else measure.text_width
        return max((measured(v, size, bold) for v in values), default=0.0)

    columns = list(zip(header, *rows, strict=True)) if rows else [(h,) for h in header]
    minimum, natural = [], []
    for name, *values in columns:
        word = max(points([name], True, size + 1, True), points(values, False, size, True))
        whole = max(points([name], True, size + 1, False), points(values, False, size, False))
        minimum.append(Pt(word + 2) + CELL_SIDES)
        natural.append(Pt(whole + 2) + CELL_SIDES)
    widths = [
        max(low, min(high, int(width * 0.22))) for low, high in zip(minimum, natural, strict=True)
    ]
    widths[flexible] = 0
    needed = max(minimum[flexible], int(width * 0.35))
    over = sum(widths) + needed - width
    spare = sum(
        w - low for i, (w, low) in enumerate(zip(widths, minimum, strict=True)) if i != flexible
    )
    if over > 0 and spare > 0:
        cut = min(over, spare) / spare
        widths = [
            w if i == flexible else int(w - (w - minimum[i]) * cut) for i, w in enumerate(widths)
        ]
    widths[flexible] = width - sum(widths)
    return widths


def row_heights(
    header: list[str], rows: list[list[str]], widths: list[int], size: int
) -> list[int]:
    """Each row's height (EMU): as many lines as its fullest cell needs."""
    heights = []
    for index, values in enumerate([header, *rows]):
        bold, points = index == 0, size + (1 if index == 0 else 0)
        count = max(
            measure.lines(v, Emu(w - CELL_SIDES).pt, points, bold)
            for v, w in zip(values, widths, strict=True)
        )
        heights.append(Pt(count * points * LINE_SPACING) + CELL_ENDS)
    return heights


def _table(
    slide: Slide,
    header: list[str],
    rows: list[list[str]],
    left,
    top,
    width,
    flexible: int = 1,
    size: int = 11,
    lang: str = "fr",
    bottom: float = BODY_BOTTOM,
):
    """A table whose columns are sized by what they hold (`column_widths`),
    its text made smaller until the table ends above `bottom` (inches)."""
    header = [typography(h, lang) for h in header]
    rows = [[typography(v, lang) for v in values] for values in rows]
    while True:
        widths = column_widths(header, rows, width, flexible, size)
        heights = row_heights(header, rows, widths, size)
        if top + sum(heights) <= Inches(bottom) or size <= SMALLEST_TABLE_TEXT:
            break
        size -= 1
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, sum(heights))
    table = shape.table
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w
    for row, h in zip(table.rows, heights, strict=True):
        row.height = h
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size if r else size + 1)
                paragraph.font.bold = r == 0
    return table


def _title_slide(deck: Deck, b: Briefing) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = typography(content.title(b), b.lang)
    slide.shapes.title.text_frame.paragraphs[0].font.color.rgb = BLUE
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(36)
    _place(slide.shapes.title, Inches(0.8), Inches(1.2), Inches(11.7), Inches(2.4))
    _place(slide.placeholders[1], Inches(0.8), Inches(3.8), Inches(11.7), Inches(2.0))
    subtitle = slide.placeholders[1].text_frame
    subtitle.text = typography(
        f"{content.as_of_line(b)}\n{content.since_line(b)}\n{content.filter_line(b)}", b.lang
    )
    for paragraph in subtitle.paragraphs:
        paragraph.font.size = Pt(18)
    if b.is_demo:
        _text(
            slide,
            [t("briefing.demo_notice", b.lang)],
            Inches(0.8),
            Inches(6.2),
            Inches(11.7),
            Inches(0.8),
            size=14,
            lang=b.lang,
        )
        slide.shapes[-1].text_frame.paragraphs[0].font.color.rgb = RED
        slide.shapes[-1].text_frame.paragraphs[0].font.bold = True


def _figures_slide(deck: Deck, b: Briefing) -> None:
    slide = _slide(deck, b, t("briefing.slide_figures", b.lang))
    metrics = content.metrics(b)
    width = Inches(12.3) / len(metrics)
    for index, (label, value, help_text) in enumerate(metrics):
        box = slide.shapes.add_textbox(
            Inches(0.5) + width * index, Inches(1.6), width - Inches(0.15), Inches(2.6)
        )
        frame = box.text_frame
        frame.word_wrap = True
        frame.paragraphs[0].text = typography(value, b.lang)
        frame.paragraphs[0].font.size = Pt(40)
        frame.paragraphs[0].font.bold = True
        frame.paragraphs[0].font.color.rgb = BLUE
        for text, size in ((label, 16), (help_text, 10)):
            paragraph = frame.add_paragraph()
            paragraph.text = typography(text, b.lang)
            paragraph.font.size = Pt(size)
    _text(
        slide,
        [content.comparison_summary(b)],
        Inches(0.5),
        Inches(4.6),
        Inches(12.3),
        Inches(1.2),
        size=16,
        lang=b.lang,
    )


def _progress_chart(slide: Slide, b: Briefing, theme: Theme, part, left, top, width, height):
    """Each proposal's progress as a bar, one series per status (in the
    statuses' order, coloured as on the screens), so that the legend names
    them; titled, with its axes named and its values in percent."""
    lang = b.lang
    percent = _percent_format(lang)
    # Bar charts draw their first category at the bottom, and list their
    # series in the legend from the last one (as the bars stack up): both are
    # given last first, so that n° 1 is at the top (with the percentages
    # below) and the legend reads in the statuses' order, in PowerPoint and
    # in LibreOffice alike.
    part = part.iloc[::-1]
    statuses = [
        s
        for s in Status
        if any(
            x == s.value and not content.missing(v)
            for x, v in zip(part["status"], part["progress"], strict=True)
        )
    ][::-1]
    data = CategoryChartData(number_format=percent)
    data.categories = [content.number_label(int(x), lang) for x in part["number"]]
    for status in statuses:
        data.add_series(
            status.label(lang),
            [
                int(v) if x == status.value and not content.missing(v) else None
                for x, v in zip(part["status"], part["progress"], strict=True)
            ],
        )
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, data
    ).chart
    chart.font.size = Pt(11)
    chart.has_title = True
    chart.chart_title.text_frame.text = typography(
        t(
            "briefing.chart_theme_progress",
            lang,
            theme=theme.label(lang),
            # The date is never broken across two lines.
            date=content.long_date(b.as_of, lang).replace(" ", "\u00a0"),
        ),
        lang,
    )
    chart.chart_title.text_frame.paragraphs[0].font.size = Pt(13)
    chart.chart_title.text_frame.paragraphs[0].font.bold = True
    chart.has_legend = bool(statuses)
    if statuses:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
    values = chart.value_axis
    values.minimum_scale, values.maximum_scale, values.major_unit = 0, 100, 20
    values.has_major_gridlines = True
    values.tick_labels.number_format = percent
    values.tick_labels.number_format_is_linked = False
    values.has_title = True
    values.axis_title.text_frame.text = typography(t("label.progress_pct", lang), lang)
    categories = chart.category_axis
    categories.has_title = True
    categories.axis_title.text_frame.text = t("label.proposal", lang)
    for axis in (values, categories):
        axis.axis_title.text_frame.paragraphs[0].font.size = Pt(11)
        axis.axis_title.text_frame.paragraphs[0].font.bold = False
    plot = chart.plots[0]
    plot.overlap = 100  # one bar per proposal: the series never share a row
    plot.gap_width = 60
    plot.has_data_labels = True
    plot.data_labels.number_format = percent
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.size = Pt(10)
    for series, status in zip(plot.series, statuses, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(status.colour)
    return chart


def _theme_slide(deck: Deck, b: Briefing, theme: Theme) -> None:
    lang = b.lang
    part = content.theme_proposals(b, theme)
    slide = _slide(
        deck, b, t("briefing.slide_theme", lang, theme=theme.label(lang), count=len(part))
    )
    _progress_chart(
        slide,
        b,
        theme,
        part,
        Inches(0.4),
        Inches(BODY_TOP),
        Inches(5.9),
        Inches(BODY_BOTTOM - BODY_TOP),
    )
    rows = [
        [
            str(int(r.number)),
            content.marked_title(b, int(r.number)),
            Status(r.status).label(lang),
            content.progress_text(r.progress, lang),
        ]
        for r in part.itertuples(index=False)
    ]
    _table(
        slide,
        [
            t("col.number", lang),
            t("col.title", lang),
            t("col.status", lang),
            t("col.progress", lang),
        ],
        rows,
        Inches(6.5),
        Inches(BODY_TOP),
        Inches(6.4),
        lang=lang,
    )
    legend = content.wording_legend(b)
    if legend:
        _note(slide, legend, lang)


def _changes_slide(deck: Deck, b: Briefing) -> None:
    lang = b.lang
    slide = _slide(
        deck, b, t("briefing.changes_heading", lang, date=content.long_date(b.since, lang))
    )
    changed = b.comparison.changed
    if changed.empty:
        _text(
            slide,
            [t("briefing.no_changes", lang)],
            Inches(0.5),
            Inches(1.5),
            Inches(12),
            Inches(1),
            lang=lang,
        )
        return
    rows = [
        [
            str(int(r["number"])),
            content.marked_title(b, int(r["number"])),
            content.status_label(r["status_before"], lang),
            Status(r["status_after"]).label(lang),
            f"{content.progress_text(r['progress_before'], lang)} → "
            f"{content.progress_text(r['progress_after'], lang)}",
            content.delta_text(r["progress_delta"], lang),
        ]
        for _, r in changed.head(MAX_CHANGE_ROWS).iterrows()
    ]
    _table(
        slide,
        [
            t("col.number", lang),
            t("col.title", lang),
            t("briefing.col_status_before", lang),
            t("col.status", lang),
            t("col.progress", lang),
            t("briefing.col_delta_short", lang),
        ],
        rows,
        Inches(0.4),
        Inches(BODY_TOP),
        Inches(12.5),
        size=10,
        lang=lang,
    )
    if len(changed) > MAX_CHANGE_ROWS:
        _note(slide, t("briefing.more_changes", lang, count=len(changed) - MAX_CHANGE_ROWS), lang)


def _contributions_slide(deck: Deck, b: Briefing) -> None:
    """The contributions validated between the two dates (their text is the
    organisations': python-pptx writes it as text, never as markup)."""
    lang = b.lang
    slide = _slide(
        deck, b, t("briefing.contributions_heading", lang, date=content.long_date(b.since, lang))
    )
    _text(
        slide,
        [content.contributions_summary(b)],
        Inches(0.5),
        Inches(1.2),
        Inches(12.3),
        Inches(0.8),
        size=14,
        lang=lang,
    )
    found = content.validated_contributions(b)
    if found is None or found.empty:
        return
    rows = [
        [
            d(content.validation_day(r["validated_at"]), lang, "short"),
            str(int(r["proposal"])),
            clean_value(r["organisation_name"], content.MAX_CONTRIBUTION_TITLE),
            clean_value(r["title"], content.MAX_CONTRIBUTION_TITLE),
            t("briefing.contribution_new" if r["new"] else "briefing.contribution_updated", lang),
        ]
        for _, r in found.head(MAX_CONTRIBUTION_ROWS).iterrows()
    ]
    _table(
        slide,
        [
            t("briefing.col_validated_on", lang),
            t("col.number", lang),
            t("contrib.field.organisation", lang),
            t("briefing.col_contribution", lang),
            t("briefing.col_new_or_updated", lang),
        ],
        rows,
        Inches(0.4),
        Inches(2.1),
        Inches(12.5),
        flexible=3,
        size=10,
        lang=lang,
    )
    total = content.contributions_total(b)
    if total > MAX_CONTRIBUTION_ROWS:
        _note(
            slide,
            t("briefing.more_contributions", lang, count=total - MAX_CONTRIBUTION_ROWS),
            lang,
        )


def _alerts_slide(deck: Deck, b: Briefing) -> None:
    slide = _slide(deck, b, t("briefing.alerts_heading", b.lang))
    lines = [
        content.alert_group_line(kind, found, b.lang) for kind, found in content.alert_groups(b)
    ]
    _text(
        slide,
        lines,
        Inches(0.5),
        Inches(BODY_TOP),
        Inches(12.3),
        Inches(BODY_BOTTOM - BODY_TOP),
        size=14,
        lang=b.lang,
    )


def _blocking_slide(deck: Deck, b: Briefing) -> None:
    """Each stalled or overdue proposal with its lead owner, blockers, next
    steps and last assessment (their text is people's: written as text)."""
    lang = b.lang
    slide = _slide(deck, b, t("briefing.blocking_heading", lang))
    _text(
        slide,
        [content.blocking_summary(b)],
        Inches(0.5),
        Inches(1.2),
        Inches(12.3),
        Inches(0.6),
        size=14,
        lang=lang,
    )
    points = content.blocking_points(b)
    if not points:
        return
    rows = [
        [
            str(p.number),
            clean_value(p.title, 90),
            clean_value(p.lead_owner, 40),
            clean_value(p.blockers, content.MAX_BLOCKING_TEXT) or "—",
            clean_value(p.next_steps, content.MAX_BLOCKING_TEXT) or "—",
            d(p.last_assessed_on, lang, "short") if p.last_assessed_on else "—",
        ]
        for p in points[:MAX_BLOCKING_ROWS]
    ]
    _table(
        slide,
        [
            t("col.number", lang),
            t("col.title", lang),
            t("col.lead_owner", lang),
            t("col.blockers", lang),
            t("col.next_steps", lang),
            t("col.last_assessed_on", lang),
        ],
        rows,
        Inches(0.4),
        Inches(1.9),
        Inches(12.5),
        size=9,
        lang=lang,
    )
    if len(points) > MAX_BLOCKING_ROWS:
        _note(slide, t("briefing.more_blocking", lang, count=len(points) - MAX_BLOCKING_ROWS), lang)


def _set_in_arial(deck: Deck) -> None:
    """The template's theme sets everything in Calibri; the deck is set in
    Arial, which every office program has (or one with its metrics), so
    that the tables measured here (`measure`) are laid out as measured."""
    theme = deck.slide_master.part.part_related_by(RELATIONSHIP_TYPE.THEME)
    theme._blob = theme.blob.replace(b'typeface="Calibri Light"', b'typeface="Arial"').replace(
        b'typeface="Calibri"', b'typeface="Arial"'
    )


def render_pptx(b: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    deck.core_properties.title = content.title(b)
    deck.core_properties.author = t("briefing.author", b.lang)
    deck.core_properties.language = locale_tag(b.lang)
    _set_in_arial(deck)
    _title_slide(deck, b)
    _figures_slide(deck, b)
    for theme in content.themes_shown(b):
        _theme_slide(deck, b, theme)
    _changes_slide(deck, b)
    if content.validated_contributions(b) is not None:
        _contributions_slide(deck, b)
    _alerts_slide(deck, b)
    _blocking_slide(deck, b)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
