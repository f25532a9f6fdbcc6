"""The import template is built for Excel: titles in the user's language, a
marked example row that is never imported, an instructions sheet, drop-down
lists; filled in (here, and once saved again by LibreOffice), it imports."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.test_permissions import actor_of
from tracker.contributions import importer, template
from tracker.contributions import queries as contribution_queries


def filled(content: bytes) -> bytes:
    """Two rows typed below the example, with values from the lists."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    lists = book[book.sheetnames[2]]
    proposal_7 = lists["A8"].value  # « 7 — … », as the drop-down list offers it
    rows = [
        [
            None,
            proposal_7,
            "MEL",
            "Atelier données",
            None,
            "Partiellement réalisée",
            0.4,
            datetime(2026, 1, 15),
            None,
            "Sénégal",
        ],
        [None, lists["A5"].value, None, "Capteurs", None, "Engagée", 0.25, "01/03/2026"],
    ]
    for line, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            sheet.cell(line, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_has_titles_an_example_instructions_and_drop_down_lists(db):
    lille = actor_of(db, "contributor_lille")
    book = load_workbook(io.BytesIO(template.template_xlsx(db, lille, "fr")))
    assert book.sheetnames == ["Contributions", "Mode d’emploi", "Listes"]
    sheet = book["Contributions"]
    assert [c.value for c in sheet[1]][:6] == [
        "Identifiant",
        "Proposition",
        "Organisation",
        "Titre",
        "Description",
        "Statut",
    ]
    assert sheet["A2"].value == "EXEMPLE"
    assert sheet["G3"].number_format == "0%"
    ranges = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(ranges) == {"B2", "C2", "F2", "J2"}  # proposal, organisation, status, country
    lists = book["Listes"]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(r, 3).value for r in range(2, 8)][:2] == ["Non engagée", "Engagée"]
    assert [lists.cell(r, 2).value for r in range(2, 4)] == ["MEL", None]  # its own only
    help_rows = [[c.value for c in row] for row in book["Mode d’emploi"].iter_rows(min_row=4)]
    assert help_rows[5][:2] == ["Statut", "oui"] and "Engagée" in help_rows[5][2]
    english = load_workbook(io.BytesIO(template.template_xlsx(db, lille, "en")))
    assert english.sheetnames == ["Contributions", "Instructions", "Lists"]
    assert english["Contributions"]["F1"].value == "Status"


def test_the_template_as_it_is_imports_nothing_and_filled_in_imports_its_rows(db):
    lille = actor_of(db, "contributor_lille")
    content = template.template_xlsx(db, lille, "fr")
    untouched = importer.import_contributions(db, lille, content, "modele.xlsx")
    assert untouched.ok and untouched.rows == 0 and untouched.created == 0
    report = importer.import_contributions(db, lille, filled(content), "modele.xlsx")
    assert report.ok, report.problems
    assert report.created == 2
    own = contribution_queries.working_frame(db, lille)
    row = own[own["title"] == "Atelier données"].iloc[0]
    assert (row["proposal"], row["status"], row["progress"], row["partner_country"]) == (
        7,
        "partiellement_realisee",
        40,
        "SN",
    )
    assert own[own["title"] == "Capteurs"].iloc[0]["proposal"] == 4


def test_the_csv_template_imports_as_it_is(db):
    lille = actor_of(db, "contributor_lille")
    content = template.template_csv(db, lille, "fr")
    assert content.decode("utf-8-sig").startswith("Identifiant;Proposition;Organisation;Titre")
    line = "\r\n;n° 3;MEL;Vitrine;;Engagée;40 %;01/09/2025;;Sénégal;;;1 500,50;\r\n"
    report = importer.import_contributions(db, lille, content + line.encode(), "modele.csv")
    assert report.ok and report.created == 1, report.problems


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_template_filled_then_saved_by_libreoffice_imports(db, tmp_path):
    lille = actor_of(db, "contributor_lille")
    source = tmp_path / "rempli.xlsx"
    source.write_bytes(filled(template.template_xlsx(db, lille, "fr")))
    (tmp_path / "out").mkdir()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    saved = (tmp_path / "out" / "rempli.xlsx").read_bytes()
    report = importer.import_contributions(db, lille, saved, "rempli.xlsx")
    assert report.ok, report.problems
    assert report.created == 2
