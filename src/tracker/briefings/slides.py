"""The briefing as a PowerPoint deck: title, key figures, one slide per theme
with a native (editable) chart and its proposals, the changes, the alerts."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Inches, Pt

from tracker.briefings import content
from tracker.briefings.content import Briefing
from tracker.domain.vocabulary import Status, Theme
from tracker.i18n import clean_value, d, locale_tag, percent_sign, t
from tracker.style import BLUE_FRANCE, RED_MARIANNE

TITLE_ONLY = 5
MAX_CHANGE_ROWS = 10
MAX_CONTRIBUTION_ROWS = 10
MAX_BLOCKING_ROWS = 6


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


BLUE = _rgb(BLUE_FRANCE)
RED = _rgb(RED_MARIANNE)


def _percent_format(lang: str) -> str:
    """Excel's number format for a percentage: `0" %"` / `0"%"`."""
    return f'0"{percent_sign(lang)}"'


def _slide(deck: Deck, b: Briefing, heading: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = heading
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
    box = slide.shapes.add_textbox(Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.35))
    paragraph = box.text_frame.paragraphs[0]
    paragraph.text = content.as_of_line(b)
    paragraph.font.size = Pt(10)
    if b.is_demo:
        run = paragraph.add_run()
        run.text = "   ⚠ " + content.demo_mark(b.lang)
        run.font.bold = True
        run.font.color.rgb = RED


def _text(slide: Slide, lines: list[str], left, top, width, height, size: int = 14) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.space_after = Pt(4)


def _table(
    slide: Slide,
    header: list[str],
    rows: list[list[str]],
    left,
    top,
    width,
    widths,
    size: int = 11,
):
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), left, top, width, Inches(0.3) * (len(rows) + 1)
    )
    table = shape.table
    for index, w in enumerate(widths):
        table.columns[index].width = w
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size if r else size + 1)
    return table


def _title_slide(deck: Deck, b: Briefing) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = content.title(b)
    slide.shapes.title.text_frame.paragraphs[0].font.color.rgb = BLUE
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(36)
    _place(slide.shapes.title, Inches(0.8), Inches(1.2), Inches(11.7), Inches(2.4))
    _place(slide.placeholders[1], Inches(0.8), Inches(3.8), Inches(11.7), Inches(2.0))
    subtitle = slide.placeholders[1].text_frame
    subtitle.text = f"{content.as_of_line(b)}\n{content.since_line(b)}\n{content.filter_line(b)}"
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
        frame.paragraphs[0].text = value
        frame.paragraphs[0].font.size = Pt(40)
        frame.paragraphs[0].font.bold = True
        frame.paragraphs[0].font.color.rgb = BLUE
        for text, size in ((label, 16), (help_text, 10)):
            paragraph = frame.add_paragraph()
            paragraph.text = text
            paragraph.font.size = Pt(size)
    _text(
        slide,
        [content.comparison_summary(b)],
        Inches(0.5),
        Inches(4.6),
        Inches(12.3),
        Inches(1.2),
        size=16,
    )


def _theme_slide(deck: Deck, b: Briefing, theme: Theme) -> None:
    lang = b.lang
    part = content.theme_proposals(b, theme)
    slide = _slide(
        deck, b, t("briefing.slide_theme", lang, theme=theme.label(lang), count=len(part))
    )
    data = CategoryChartData(number_format=_percent_format(lang))
    data.categories = [content.number_label(int(x), lang) for x in part["number"]]
    data.add_series(
        t("label.progress_pct", lang),
        [None if content.missing(v) else int(v) for v in part["progress"]],
    )
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.4), Inches(1.3), Inches(5.6), Inches(5.5), data
    )
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    chart.value_axis.maximum_scale = 100
    chart.value_axis.minimum_scale = 0
    chart.category_axis.reverse_order = True
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = _percent_format(lang)
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    for point, status in zip(plot.series[0].points, part["status"], strict=True):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(Status(status).colour)
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
        Inches(6.2),
        Inches(1.3),
        Inches(6.7),
        [Inches(0.6), Inches(3.6), Inches(1.4), Inches(1.1)],
    )
    legend = content.wording_legend(b)
    if legend:
        _text(slide, [legend], Inches(0.5), Inches(6.9), Inches(12.3), Inches(0.4), size=11)


def _changes_slide(deck: Deck, b: Briefing) -> None:
    lang = b.lang
    slide = _slide(
        deck, b, t("briefing.changes_heading", lang, date=content.long_date(b.since, lang))
    )
    changed = b.comparison.changed
    if changed.empty:
        _text(
            slide, [t("briefing.no_changes", lang)], Inches(0.5), Inches(1.5), Inches(12), Inches(1)
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
        Inches(1.3),
        Inches(12.5),
        [Inches(0.6), Inches(5.3), Inches(2.0), Inches(2.0), Inches(1.5), Inches(1.1)],
        size=10,
    )
    if len(changed) > MAX_CHANGE_ROWS:
        _text(
            slide,
            [t("briefing.more_changes", lang, count=len(changed) - MAX_CHANGE_ROWS)],
            Inches(0.5),
            Inches(6.5),
            Inches(12),
            Inches(0.4),
            size=11,
        )


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
        [Inches(1.5), Inches(0.7), Inches(2.6), Inches(5.6), Inches(2.1)],
        size=10,
    )
    total = content.contributions_total(b)
    if total > MAX_CONTRIBUTION_ROWS:
        _text(
            slide,
            [t("briefing.more_contributions", lang, count=total - MAX_CONTRIBUTION_ROWS)],
            Inches(0.5),
            Inches(6.5),
            Inches(12),
            Inches(0.4),
            size=11,
        )


def _alerts_slide(deck: Deck, b: Briefing) -> None:
    slide = _slide(deck, b, t("briefing.alerts_heading", b.lang))
    lines = [
        content.alert_group_line(kind, found, b.lang) for kind, found in content.alert_groups(b)
    ]
    _text(slide, lines, Inches(0.5), Inches(1.4), Inches(12.3), Inches(5.4), size=14)


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
        [Inches(0.6), Inches(3.0), Inches(1.7), Inches(3.0), Inches(2.7), Inches(1.5)],
        size=9,
    )
    if len(points) > MAX_BLOCKING_ROWS:
        _text(
            slide,
            [t("briefing.more_blocking", lang, count=len(points) - MAX_BLOCKING_ROWS)],
            Inches(0.5),
            Inches(6.5),
            Inches(12),
            Inches(0.4),
            size=11,
        )


def render_pptx(b: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    deck.core_properties.title = content.title(b)
    deck.core_properties.author = t("briefing.author", b.lang)
    deck.core_properties.language = locale_tag(b.lang)
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
