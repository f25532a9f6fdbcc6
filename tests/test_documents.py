"""Each briefing document, read back the way its reader's program reads it:
the PDF with poppler, the PPTX with python-pptx, the XLSX with openpyxl, the CSV
as French Excel decodes it. Their figures must be the dashboard's."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zlib
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu

from tests import contribution_story as story
from tracker.briefings import measure
from tracker.briefings.content import contributions_summary, load_briefing, themes_shown
from tracker.briefings.documents import render
from tracker.briefings.pdf import MAX_CONTRIBUTIONS, ROWS_KEPT_WITH_HEADING
from tracker.cli import main
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.domain.vocabulary import Status
from tracker.followup import aggregates, queries
from tracker.followup.aggregates import ProposalFilter
from tracker.i18n import pct, t

AS_OF = date(2025, 12, 31)
SINCE = date(2024, 6, 1)


@pytest.fixture(scope="module")
def demo_db(seeded_sqlite_file):
    db = make_engine(f"sqlite:///{seeded_sqlite_file}")
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def dashboard_state(demo_db):
    with transaction(demo_db) as session:
        proposals, history = queries.proposals_frame(session), queries.history_frame(session)
    return aggregates.state_at(proposals, history, AS_OF)


def briefing(demo_db, lang="fr", **filters):
    return load_briefing(
        demo_db, as_of=AS_OF, since=SINCE, wanted=ProposalFilter(**filters), lang=lang
    )


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is required in CI: make tools")
        pytest.skip(f"{tool} missing: apt-get install -y poppler-utils")
    return path


def pdf_text_and_pages(data: bytes, tmp_path) -> tuple[str, int]:
    path = tmp_path / "note.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    info = subprocess.run(
        [poppler("pdfinfo"), str(path)], capture_output=True, check=True
    ).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return text, pages


def squash(text: str) -> str:
    """pdftotext writes every kind of space as a plain one."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def test_pdf_note_has_at_most_two_pages_with_the_dashboard_figures(
    demo_db, dashboard_state, tmp_path
):
    note = briefing(demo_db)
    text, pages = pdf_text_and_pages(render(note, "pdf"), tmp_path)
    flat = squash(text)
    assert 1 <= pages <= 2
    assert f"page {pages} / {pages}" in flat
    assert "Note de synthèse" in flat
    assert "Situation au 31 décembre 2025" in flat
    assert "comparée au 1er juin 2024" in flat
    assert flat.count("Données de démonstration") >= pages
    figures = aggregates.key_figures(dashboard_state, AS_OF)
    assert note.figures == figures
    assert squash(pct(figures.average_progress, "fr")) in flat
    assert f"{figures.done} / {figures.total}" in flat
    for heading in (
        "Principaux changements",
        "Alertes",
        "Points de blocage",
        "Avancement par thème",
        "Les propositions",
    ):
        assert heading in flat
    for number in dashboard_state["number"]:
        assert re.search(rf"^\s*{number}\s+\S", text, re.M), number


def test_pdf_note_uses_narrow_no_break_spaces_in_french(demo_db):
    data = render(briefing(demo_db), "pdf")
    maps = [
        zlib.decompress(m.group(1))
        for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S)
        if m.group(1)[:2] == b"x\x9c"
    ]
    # The font's map from glyphs back to text has U+202F: the character is
    # printed as such (pdftotext shows it as a plain space).
    assert any(b"202F" in m.upper() for m in maps if b"beginbfchar" in m or b"bfrange" in m)


def test_pdf_note_in_english_for_one_theme_without_demo_mark_when_real(demo_db, tmp_path):
    note = briefing(demo_db, lang="en", themes=("durable",))
    text, pages = pdf_text_and_pages(render(note, "pdf"), tmp_path)
    flat = squash(text)
    assert pages == 1
    assert "Briefing note" in flat and "Demonstration data" in flat
    assert "Sustainable" in flat and "Connected" not in flat
    real = type(note)(**{**note.__dict__, "is_demo": False})
    text, _ = pdf_text_and_pages(render(real, "pdf"), tmp_path)
    assert "Demonstration data" not in squash(text)


def test_pptx_deck_has_a_native_chart_per_theme_with_the_progress_values(demo_db, dashboard_state):
    note = briefing(demo_db)
    deck = Presentation(io.BytesIO(render(note, "pptx")))
    slides = list(deck.slides)
    themes = themes_shown(note)
    assert len(slides) == 2 + len(themes) + 4  # changes, contributions, alerts, points de blocage
    assert "Note de synthèse" in slides[0].shapes.title.text
    all_text = " ".join(
        shape.text_frame.text for s in slides for shape in s.shapes if shape.has_text_frame
    )
    assert "Données de démonstration" in all_text
    for slide, theme in zip(slides[2 : 2 + len(themes)], themes, strict=True):
        charts = [shape.chart for shape in slide.shapes if shape.has_chart]
        assert len(charts) == 1
        chart = charts[0]
        assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
        part = dashboard_state[dashboard_state["primary_theme"] == theme.value].sort_values(
            "number"
        )
        expected = [None if pd.isna(v) else float(v) for v in part["progress"]]
        # One series per status, each bar in one of them; the chart lists
        # the proposals last first (a bar chart draws its first at the bottom).
        plot = chart.plots[0]
        drawn = [
            next((v for v in values if v is not None), None)
            for values in zip(*(series.values for series in plot.series), strict=True)
        ]
        assert drawn[::-1] == expected
        assert list(plot.categories)[::-1] == [f"n° {n}" for n in part["number"]]
        assert theme.label("fr") in slide.shapes.title.text
    changes = slides[-4]
    assert "Principaux changements" in changes.shapes.title.text
    assert "Contributions validées" in slides[-3].shapes.title.text
    assert "Alertes" in slides[-2].shapes.title.text
    assert "Points de blocage" in slides[-1].shapes.title.text
    assert any(shape.has_table for shape in changes.shapes)


def test_xlsx_workbook_has_formatted_sheets_with_real_dates(demo_db, dashboard_state):
    note = briefing(demo_db)
    book = openpyxl.load_workbook(io.BytesIO(render(note, "xlsx")))
    assert book.sheetnames == [
        "Chiffres clés",
        "Propositions",
        "Changements",
        "Alertes",
        "Points de blocage",
        "Historique",
        "Contributions validées",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
    proposals = book["Propositions"]
    header = [c.value for c in proposals[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in proposals.iter_rows(min_row=2, values_only=True)
    }
    assert len(rows) == len(dashboard_state)
    for row in dashboard_state.itertuples(index=False):
        got = rows[row.number][t("col.progress", "fr")]
        assert got == (None if pd.isna(row.progress) else int(row.progress))
        if row.last_assessed_on is not None:
            assert rows[row.number][t("col.last_assessed_on", "fr")] == datetime.combine(
                row.last_assessed_on, datetime.min.time()
            )
    history = book["Historique"]
    assert isinstance(history["A2"].value, datetime)
    assert history["A2"].number_format == "DD/MM/YYYY"
    assert history.max_row > 100


def test_csv_is_for_french_excel_and_neutralises_formulas(demo_db):
    note = briefing(demo_db)
    data = render(note, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].split(";")[:2] == ["N°", "Proposition"]
    assert len([x for x in lines[1:] if x]) == note.figures.total
    state = note.state.copy()
    state.loc[state.index[0], "title_fr"] = '=HYPERLINK("http://x")'
    rows = note.comparison.rows.copy()
    rows.loc[rows.index[0], "title_fr"] = '=HYPERLINK("http://x")'
    tampered = type(note.comparison)(**{**note.comparison.__dict__, "rows": rows, "after": state})
    forged = type(note)(**{**note.__dict__, "comparison": tampered})
    assert "'=HYPERLINK" in render(forged, "csv").decode("utf-8-sig")


def test_the_notes_csv_writes_numbers_as_french_excel_reads_them(demo_db):
    """« 20.0 » was text for French Excel: progress and its change are whole
    numbers, written without decimals, and any decimal with a comma."""
    note = briefing(demo_db)
    rows = list(csv.reader(io.StringIO(render(note, "csv").decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    for key in ("col.progress", "briefing.col_progress_before", "briefing.col_delta"):
        column = header.index(t(key, "fr"))
        values = [row[column] for row in body]
        assert all(re.fullmatch(r"-?\d+", v) for v in values if v), (key, values)
        assert any(values)
    assert not any(re.fullmatch(r"-?\d+\.\d+", cell) for row in body for cell in row)


def test_cli_writes_every_format_and_records_sessions(
    seeded_sqlite_file, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "cli.db"
    shutil.copy(seeded_sqlite_file, path)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{path}")
    assert main(["sessions", "add", "--date", "2024-06-01", "--label", "5e séance"]) == 0
    capsys.readouterr()
    assert main(["sessions", "list"]) == 0
    assert capsys.readouterr().out == "1\t2024-06-01\tTenue\t5e séance\n"
    assert main(["sessions", "add", "--date", "2024-06-01", "--label", "bis"]) == 1
    for fmt in ("pdf", "pptx", "xlsx", "csv"):
        out = tmp_path / f"note.{fmt}"
        code = main(
            [
                "briefing",
                "--format",
                fmt,
                "--out",
                str(out),
                "--as-of",
                "2025-12-31",
                "--theme",
                "solidaire",
                "--lang",
                "en",
            ]
        )
        assert code == 0
        assert out.stat().st_size > 1000
    book = openpyxl.load_workbook(tmp_path / "note.xlsx")
    assert book.sheetnames[1] == "Proposals"
    themes = {r[2] for r in book["Proposals"].iter_rows(min_row=2, values_only=True)}
    assert themes == {"Inclusive"}
    csv_text = (tmp_path / "note.csv").read_text(encoding="utf-8-sig")
    assert "Status at the comparison date" in csv_text


def test_every_title_that_is_not_the_reports_wording_is_marked_and_explained(demo_db, tmp_path):
    note = briefing(demo_db)
    text, _ = pdf_text_and_pages(render(note, "pdf"), tmp_path)
    flat = squash(text)
    assert "Libellés : * Résumé d’une source publique ; † Libellé reconstitué" in flat
    assert "Sélectionner des territoires vitrines *" in flat  # a summary row
    assert flat.count("†") >= 11 + 1  # the eleven reconstructed titles and the legend
    deck = Presentation(io.BytesIO(render(briefing(demo_db, lang="en"), "pptx")))
    words = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "Wording: * Summary from a public source; † Reconstructed wording" in words
    workbook = openpyxl.load_workbook(io.BytesIO(render(note, "xlsx")))
    sheet = workbook[workbook.sheetnames[1]]
    assert "État du libellé" in [c.value for c in sheet[1]]


# ---- Contributions validated between the two dates --------------------------------


@pytest.fixture(scope="module")
def story_db(seeded_sqlite_file, tmp_path_factory):
    """The demonstration data and the dated story of contributions
    (tests/contribution_story.py), in a database of this module's own."""
    path = tmp_path_factory.mktemp("story") / "story.db"
    shutil.copy(seeded_sqlite_file, path)
    db = make_engine(f"sqlite:///{path}")
    with transaction(db) as session:
        ids = story.add_story(session)
        rows = story.versions_in_database(session)
    yield db, ids, rows
    db.dispose()


def story_briefing(story_db, lang="fr", since=story.SINCE, **filters):
    db, _, rows = story_db
    note = load_briefing(
        db, as_of=story.AS_OF, since=since, wanted=ProposalFilter(**filters), lang=lang
    )
    numbers = set(note.state["number"])
    return note, story.expected_between(rows, since, story.AS_OF, numbers)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_lists_the_contributions_validated_in_between_as_plain_text(story_db, tmp_path, lang):
    note, expected = story_briefing(story_db, lang)
    text, pages = pdf_text_and_pages(render(note, "pdf"), tmp_path)
    flat = squash(text)
    assert pages <= 2
    heading = (
        "Contributions validées depuis le" if lang == "fr" else "Contributions validated since"
    )
    assert heading in flat
    assert len(expected) == 2
    assert squash(contributions_summary(note)) in flat
    for title, _ in expected.values():
        assert title in flat  # markup printed as typed, not interpreted
    for outside in ("Capteurs partagés", "Atelier de sobriété", "En attente", story.FIRST_TITLE):
        assert outside not in flat


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_caps_a_long_list_of_contributions_and_stays_within_two_pages(story_db, tmp_path, lang):
    note, expected = story_briefing(story_db, lang, since=date(2018, 7, 5))
    assert len(expected) > MAX_CONTRIBUTIONS
    text, pages = pdf_text_and_pages(render(note, "pdf"), tmp_path)
    flat = squash(text)
    assert pages <= 2
    more = len(expected) - MAX_CONTRIBUTIONS
    assert squash(t("briefing.more_contributions", lang, count=more)) in flat


def test_pdf_table_headers_never_wrap_in_either_language(demo_db, tmp_path):
    for lang in ("fr", "en"):
        note = briefing(demo_db, lang=lang)
        # Without the watermark, whose letters pdftotext mixes with the lines it crosses.
        real = type(note)(**{**note.__dict__, "is_demo": False})
        text, _ = pdf_text_and_pages(render(real, "pdf"), tmp_path)
        header = next(line for line in text.splitlines() if t("col.theme", lang) in line)
        for key in ("col.progress", "col.status", "briefing.col_delta_short"):
            assert t(key, lang) in header, (lang, key)


def test_pptx_has_a_slide_of_the_contributions_validated_in_between(story_db):
    note, expected = story_briefing(story_db)
    deck = Presentation(io.BytesIO(render(note, "pptx")))
    slide = next(s for s in deck.slides if "Contributions validées" in s.shapes.title.text)
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows][1:]
    assert [r[3] for r in rows] == [title for title, _ in expected.values()]
    assert {r[4] for r in rows} == {"première validation"}
    assert rows[0][0] == "01/03/2025"


def test_xlsx_sheet_of_contributions_has_real_dates_and_neutralised_formulas(story_db):
    note, expected = story_briefing(story_db)
    book = openpyxl.load_workbook(io.BytesIO(render(note, "xlsx")))
    sheet = book["Contributions validées"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == [
        "Validée le",
        "N°",
        "Proposition",
        "Organisation",
        "Contribution",
        "Validation",
    ]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I3"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [4, 12]
    assert rows[0][0] == datetime(2025, 3, 1) and sheet["A2"].number_format == "DD/MM/YYYY"
    assert rows[1][0] == datetime(2025, 12, 31)
    assert rows[0][4] == "'" + story.HOSTILE_TITLE
    assert [r[4].lstrip("'") for r in rows] == [title for title, _ in expected.values()]


def test_xlsx_contributions_follow_the_theme_filter(story_db):
    note, expected = story_briefing(story_db, themes=("solidaire",))
    book = openpyxl.load_workbook(io.BytesIO(render(note, "xlsx")))
    rows = list(book["Contributions validées"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [12]
    assert [r[4] for r in rows] == [title for title, _ in expected.values()]


def test_cli_writes_the_contributions_csv_for_french_excel(story_db, tmp_path, monkeypatch):
    db, _, _ = story_db
    monkeypatch.setenv("TRACKER_DATABASE_URL", str(db.url))
    out = tmp_path / "contributions.csv"
    arguments = ["briefing", "--format", "csv", "--contributions", "--out", str(out)]
    dates = ["--as-of", story.AS_OF.isoformat(), "--since", story.SINCE.isoformat()]
    assert main([*arguments, *dates]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:2] == ["Validée le", "N°"]
    assert [line[1] for line in lines[1:]] == ["4", "12"]
    assert lines[1][4] == "'" + story.HOSTILE_TITLE
    assert main(["briefing", "--format", "xlsx", "--out", str(tmp_path / "n.xlsx"), *dates]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "n.xlsx")["Contributions validées"]
    assert sheet.max_row == 3


def test_every_stalled_or_overdue_proposal_is_a_blocking_point_with_its_blockers(demo_db):
    """« Points de blocage »: title, lead owner, blockers, next steps and last
    assessment of each stalled or overdue proposal, in every format."""
    from tracker.briefings import content
    from tracker.domain.vocabulary import AlertKind

    note = briefing(demo_db)
    expected = sorted(
        {a.number for a in note.alerts if a.kind in (AlertKind.STALLED, AlertKind.OVERDUE)}
    )
    points = content.blocking_points(note)
    assert [p.number for p in points] == expected
    assert expected, "the demonstration data has stalled or overdue proposals"
    state = note.state.set_index("number")
    for p in points:
        assert p.blockers == (state.loc[p.number, "blockers_fr"] or "")
        assert p.next_steps == (state.loc[p.number, "next_steps_fr"] or "")
    table = content.blocking_table(note)
    assert table["N°"].tolist() == expected
    deck = Presentation(io.BytesIO(render(note, "pptx")))
    last = " ".join(
        shape.text_frame.text if shape.has_text_frame else ""
        for shape in list(deck.slides)[-1].shapes
    )
    cells = [
        cell.text
        for shape in list(deck.slides)[-1].shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert "Points de blocage" in last
    assert points[0].title[:40] in " ".join(cells)


# ---- Documents that paste cleanly (#17) ---------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_pptx_chart_is_titled_with_named_axes_a_legend_of_statuses_and_percentages(
    demo_db, lang
):
    note = briefing(demo_db, lang=lang)
    deck = Presentation(io.BytesIO(render(note, "pptx")))
    charts = [shape.chart for s in deck.slides for shape in s.shapes if shape.has_chart]
    assert len(charts) == len(themes_shown(note))
    for chart, theme in zip(charts, themes_shown(note), strict=True):
        assert chart.has_title and theme.label(lang) in chart.chart_title.text_frame.text
        assert chart.value_axis.has_title and chart.category_axis.has_title
        assert "%" in chart.value_axis.axis_title.text_frame.text
        assert chart.category_axis.axis_title.text_frame.text == t("label.proposal", lang)
        assert chart.has_legend
        assert "%" in chart.value_axis.tick_labels.number_format
        assert not chart.value_axis.tick_labels.number_format_is_linked
        plot = chart.plots[0]
        assert plot.has_data_labels and "%" in plot.data_labels.number_format
        # The legend names the statuses, in their order (given last first:
        # a bar chart's legend lists its series from the last).
        names = [series.name for series in plot.series][::-1]
        labels = [s.label(lang) for s in Status]
        assert names == sorted(names, key=labels.index)
        part = note.state[note.state["primary_theme"] == theme.value]
        with_value = part[part["progress"].notna()]
        shown = {Status(x).label(lang) for x in with_value["status"]}
        assert set(names) == shown


def _box(shape) -> tuple[int, int, int, int]:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_pptx_shape_overlaps_the_footer_or_another_shape(story_db, lang):
    note, _ = story_briefing(story_db, lang, since=date(2018, 7, 5))
    deck = Presentation(io.BytesIO(render(note, "pptx")))
    for number, slide in enumerate(deck.slides, start=1):
        shapes = list(slide.shapes)
        for shape in shapes:
            box = _box(shape)
            assert box[0] >= 0 and box[1] >= 0, (number, shape.name)
            assert box[2] <= deck.slide_width and box[3] <= deck.slide_height, (number, shape.name)
        footers = [s for s in shapes if s.name == "Footer"]
        assert len(footers) == (0 if number == 1 else 1)
        for i, first in enumerate(shapes):
            for second in shapes[i + 1 :]:
                assert not _overlap(_box(first), _box(second)), (number, first.name, second.name)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_pptx_table_column_is_narrower_than_its_longest_word(story_db, lang):
    """« Avanceme/nt »: a header (or a value) broken inside a word."""
    note, _ = story_briefing(story_db, lang, since=date(2018, 7, 5))
    deck = Presentation(io.BytesIO(render(note, "pptx")))
    tables = [shape.table for s in deck.slides for shape in s.shapes if shape.has_table]
    assert len(tables) >= 5
    for table in tables:
        for r, row in enumerate(table.rows):
            for cell, column in zip(row.cells, table.columns, strict=True):
                room = Emu(column.width - cell.margin_left - cell.margin_right).pt
                for paragraph in cell.text_frame.paragraphs:
                    size = paragraph.font.size.pt
                    widest = measure.longest_word(paragraph.text, size, bold=r == 0)
                    assert widest <= room, (paragraph.text, widest, room)


def pdf_pages(data: bytes, tmp_path) -> list[str]:
    """Each page's text, as pdftotext reads it."""
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [squash(page) for page in text.split("\f")]


def test_pdf_note_keeps_each_heading_with_its_chart_and_the_start_of_its_table(demo_db, tmp_path):
    note = briefing(demo_db)
    data = render(note, "pdf")
    pages = pdf_pages(data, tmp_path)
    path = tmp_path / "paper.pdf"
    listing = subprocess.run(
        [poppler("pdfimages"), "-list", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    image_pages = {int(line.split()[0]) for line in listing if line.strip()}
    chart_heading = t("briefing.charts_heading", "fr")
    (heading_page,) = [i + 1 for i, page in enumerate(pages) if chart_heading in page]
    assert heading_page in image_pages
    table_heading = squash(t("briefing.table_heading", "fr", date="31 décembre 2025"))
    page = next(p for p in pages if table_heading in p)
    after = page.split(table_heading, 1)[1]
    first = sorted(note.state["number"])[:ROWS_KEPT_WITH_HEADING]
    titles = note.state.set_index("number")["title_fr"]
    for number in first:
        assert squash(titles[number]).split()[0] in after, number
