"""Exports a spreadsheet opens correctly, and that never run a formula."""

import csv
import io
import json
import subprocess
import sys
from datetime import date

import openpyxl
import pandas as pd
import pytest

from tests.conftest import ROOT
from tracker.exports import neutralise, to_csv_bytes, to_json_bytes, to_xlsx_bytes


@pytest.mark.parametrize("text", ["=1+1", "+33 1 00", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_neutralised(text):
    assert neutralise(text) == "'" + text


def test_ordinary_text_and_numbers_are_left_alone():
    assert neutralise("Métropole") == "Métropole"
    assert neutralise(-2) == -2


def test_csv_is_utf8_with_bom_and_semicolons_for_french_excel():
    data = to_csv_bytes(pd.DataFrame({"Titre": ["Égalité ; accès", "=HYPERLINK()"], "N°": [1, 2]}))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Titre", "N°"], ["Égalité ; accès", "1"], ["'=HYPERLINK()", "2"]]


def test_csv_writes_decimal_commas_and_whole_numbers_without_decimals():
    """French Excel reads « 36,9 » as a number and « 36.9 » as text; a column
    of whole numbers with gaps (held as floats) is written « 20 », not « 20.0 »."""
    frame = pd.DataFrame(
        {
            "Avancement": [20.0, None, 55.0],
            "Moyenne": [36.9, 40.0, None],
            "Mêlée": ["texte", 2.5, 3.0],
        }
    )
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [["20", "36,9", "texte"], ["", "40", "2,5"], ["55", "", "3"]]


def test_xlsx_rows_are_as_tall_as_their_wrapped_text_and_print_in_landscape():
    long = "Mobiliser la coopération décentralisée au service des villes " * 4
    frame = pd.DataFrame({"N°": [1, 2], "Titre": [long, "Court"]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"Feuille": frame})))["Feuille"]
    assert sheet["B2"].alignment.wrap_text
    assert sheet.row_dimensions[2].height >= 3 * 15
    assert sheet.row_dimensions[3].height is None
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_xlsx_has_a_formatted_header_filters_frozen_row_and_real_dates():
    frame = pd.DataFrame({"N°": [1], "Échéance": [date(2027, 6, 30)], "Titre": ["=cmd"]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"Propositions": frame})))
    sheet = book["Propositions"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C2"
    assert sheet["A1"].font.bold
    assert sheet["B2"].value.date() == date(2027, 6, 30)
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == "'=cmd"


def test_json_keeps_accents_and_iso_dates():
    data = json.loads(to_json_bytes(pd.DataFrame({"t": ["é"], "d": [date(2020, 1, 2)]})))
    assert data == [{"t": "é", "d": "2020-01-02"}]


def run_cli(*args, url):
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        env={"TRACKER_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")},
    )


def test_cli_help_lists_the_commands():
    result = run_cli("--help", url="sqlite://")
    assert result.returncode == 0
    for command in ("db", "seed", "proposals"):
        assert command in result.stdout.decode()


def test_cli_upgrades_seeds_twice_and_exports(sqlite_url, tmp_path):
    assert run_cli("db", "upgrade", url=sqlite_url).returncode == 0
    first = run_cli("seed", "--demo", url=sqlite_url)
    assert first.returncode == 0 and b"propositions: 20" in first.stdout
    again = run_cli("seed", "--demo", url=sqlite_url)
    assert b"organisations: 0, propositions: 0" in again.stdout

    as_json = run_cli("proposals", "export", "--format", "json", url=sqlite_url)
    records = json.loads(as_json.stdout)
    assert [r["number"] for r in records] == list(range(1, 21))
    assert {"status", "progress", "title_en", "wording_status"} <= set(records[0])

    as_csv = run_cli("proposals", "export", "--format", "csv", url=sqlite_url)
    assert as_csv.stdout.startswith(b"\xef\xbb\xbf") and b";" in as_csv.stdout.splitlines()[0]

    out = tmp_path / "p.xlsx"
    result = run_cli(
        "--lang", "en", "proposals", "export", "--format", "xlsx", "--out", str(out), url=sqlite_url
    )
    assert result.returncode == 0
    sheet = openpyxl.load_workbook(out)["Proposals"]
    assert sheet.max_row == 21 and sheet["A1"].value == "No."
