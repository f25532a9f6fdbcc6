"""The import takes what people type: the labels the interface shows, in
French or English, with or without accents; progress as Excel writes it;
dates as people write them; and it says every problem of a file at once,
with what was found and what is accepted."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.test_permissions import actor_of
from tracker.contributions import cells, importer
from tracker.contributions import queries as contribution_queries
from tracker.db.models import AuditEntry, Contribution

# As a French Excel saves « CSV (séparateur : point-virgule) »: Windows-1252,
# the column titles the template shows, the labels the interface shows.
LABELS_CSV = (
    "Proposition;Organisation;Titre;Statut;Avancement (%);Début;Fin;Pays partenaire;"
    "Collectivité partenaire;Budget (€)\r\n"
    "n° 7;MEL;Coopération avec Saint-Louis;Engagée;40 %;01/09/2025;2027-06-30;Sénégal;"
    "Ville de Saint-Louis;12 345,67\r\n"
    "4;Métropole Européenne de Lille;Formation des agents;PARTIELLEMENT REALISEE;40,0;"
    "15/01/2024;;sen;;1500,5\r\n"
    "N°12;200093201;Vitrine numérique;réalisée;;;;Maroc;;\r\n"
).encode("cp1252")


def count(session) -> int:
    return session.scalar(select(func.count(Contribution.id)))


def own(session, actor, title):
    frame = contribution_queries.working_frame(session, actor)
    return frame[frame["title"] == title].iloc[0]


def test_a_french_excel_file_with_the_interfaces_labels_imports(db):
    lille = actor_of(db, "contributor_lille")
    before = count(db)
    report = importer.import_contributions(db, lille, LABELS_CSV, "mes-actions.csv")
    assert report.ok, report.problems
    assert (report.created, report.written) == (3, True) and count(db) == before + 3
    first = own(db, lille, "Coopération avec Saint-Louis")
    assert (first["proposal"], first["status"], first["progress"]) == (7, "engagee", 40)
    assert first["start_date"] == date(2025, 9, 1) and first["end_date"] == date(2027, 6, 30)
    assert first["partner_country"] == "SN" and first["budget_eur"] == Decimal("12345.67")
    second = own(db, lille, "Formation des agents")
    assert (second["status"], second["progress"], second["partner_country"]) == (
        "partiellement_realisee",
        40,
        "SN",
    )
    third = own(db, lille, "Vitrine numérique")
    assert (third["proposal"], third["status"], third["progress"]) == (12, "realisee", 100)
    assert third["partner_country"] == "MA"


def workbook(header: list[str], rows: list[list[object]], formats: dict[str, str]) -> bytes:
    """A workbook as Excel saves it: typed cells, number formats by column."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column, number_format in formats.items():
        position = header.index(column) + 1
        for line in range(2, len(rows) + 2):
            sheet.cell(line, position).number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_workbook_with_english_titles_a_percentage_and_real_dates_imports(db):
    lille = actor_of(db, "contributor_lille")
    content = workbook(
        ["Proposal", "Title", "Status", "Progress (%)", "Start", "End", "Partner country"],
        [
            [3, "Open data portal", "partially done", 0.4, datetime(2026, 1, 15), None, "Senegal"],
            [
                5.0,
                "Training",
                "in progress",
                0.35,
                datetime(2025, 3, 1),
                datetime(2026, 3, 1),
                "TUN",
            ],
        ],
        {"Progress (%)": "0%", "Start": "dd/mm/yyyy", "End": "dd/mm/yyyy"},
    )
    report = importer.import_contributions(db, lille, content, "actions.xlsx", lang="en")
    assert report.ok, report.problems
    portal = own(db, lille, "Open data portal")
    assert (portal["proposal"], portal["status"], portal["progress"]) == (
        3,
        "partiellement_realisee",
        40,
    )
    assert portal["start_date"] == date(2026, 1, 15) and portal["partner_country"] == "SN"
    training = own(db, lille, "Training")
    assert (training["proposal"], training["progress"], training["partner_country"]) == (
        5,
        35,
        "TN",
    )
    assert training["end_date"] == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("written", "understood"),
    [
        ("Engagée", "engagee"),
        ("engagee", "engagee"),
        ("ENGAGÉE", "engagee"),
        ("In progress", "engagee"),
        ("Partiellement réalisée", "partiellement_realisee"),
        ("partiellement_realisee", "partiellement_realisee"),
        ("Non engagée", "non_engagee"),
    ],
)
def test_a_status_is_its_code_or_its_label_in_either_language(written, understood):
    assert cells.status(written, "fr") == understood


@pytest.mark.parametrize(
    ("written", "understood"),
    [("40", 40), (40, 40), ("40 %", 40), ("40,0", 40), ("40.0", 40), (cells.Percent(0.4), 40)],
)
def test_progress_is_read_as_people_type_it(written, understood):
    assert cells.progress(written) == understood


@pytest.mark.parametrize("written", ["0,4", "quarante", "140", cells.Percent(4.0)])
def test_progress_that_is_not_a_whole_percentage_is_refused(written):
    with pytest.raises(importer.ValidationError):
        cells.progress(written)


@pytest.mark.parametrize(
    "written", ["25/11/2026", "2026-11-25", datetime(2026, 11, 25), 46351, "25.11.2026"]
)
def test_a_date_is_read_as_people_write_it(written):
    assert cells.day(written, "start_date") == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("written", "understood"),
    [("SN", "SN"), ("sen", "SN"), ("Sénégal", "SN"), ("senegal", "SN"), ("Allemagne", "DE")],
)
def test_a_country_is_its_iso_code_or_its_name(written, understood):
    assert cells.country(written) == understood


@pytest.mark.parametrize("written", [7, "7", "n° 7", "N°7", "no 7", "Proposition 7", "7 — Créer"])
def test_a_proposal_is_its_number_however_written(written):
    assert cells.proposal(written, range(1, 21)) == 7


# Every problem at once -------------------------------------------------------------

THREE_BAD_ROWS = (
    "Proposition;Titre;Statut;Avancement (%);Début;Fin;Pays partenaire\r\n"
    "n° 7;Bonne ligne;Engagée;40 %;01/09/2025;;Sénégal\r\n"
    "n° 42;Mauvaise proposition;Engagée;10;;;\r\n"
    "3;Mauvais statut et mauvaise date;Commencée;10;31/02/2026;;\r\n"
    "4;Réalisée à moitié, pays inconnu;Réalisée;50;;;Atlantide\r\n"
).encode("cp1252")


def test_a_file_with_three_bad_rows_reports_all_of_them_in_one_pass(db):
    lille = actor_of(db, "contributor_lille")
    before = (count(db), db.scalar(select(func.count(AuditEntry.id))))
    report = importer.import_contributions(db, lille, THREE_BAD_ROWS, "f.csv")
    assert not report.ok and not report.written
    assert [(p.line, p.column) for p in report.problems] == [
        (3, "proposal"),
        (4, "status"),
        (4, "start_date"),
        (5, "progress"),
        (5, "partner_country"),
    ]
    by_place = {(p.line, p.column): p for p in report.problems}
    wrong_proposal = by_place[(3, "proposal")]
    assert (wrong_proposal.heading, wrong_proposal.found) == ("Proposition", "n° 42")
    assert "un numéro de 1 à 20" in wrong_proposal.message
    assert "Engagée, Partiellement réalisée" in by_place[(4, "status")].message
    assert "JJ/MM/AAAA" in by_place[(4, "start_date")].message
    assert "100" in by_place[(5, "progress")].message
    assert "Sénégal" in by_place[(5, "partner_country")].message  # an example of what is accepted
    assert (count(db), db.scalar(select(func.count(AuditEntry.id)))) == before


def test_the_problems_are_said_in_the_users_language(db):
    lille = actor_of(db, "contributor_lille")
    report = importer.import_contributions(db, lille, THREE_BAD_ROWS, "f.csv", lang="en")
    assert len(report.problems) == 5
    status = next(p for p in report.problems if p.column == "status")
    assert "accepted values: Not started, In progress, Partially done" in status.message


def test_an_unknown_column_is_named_with_the_accepted_ones(db):
    content = "Proposition;Titre;Statut;Remarques\r\n3;Titre;Engagée;x\r\n".encode("cp1252")
    report = importer.import_contributions(db, actor_of(db, "contributor_lille"), content, "f.csv")
    [problem] = report.problems
    assert (problem.line, problem.column) == (1, "Remarques")
    assert "« Avancement (%) »" in problem.message and "« Pays partenaire »" in problem.message


def test_an_organisation_is_named_with_what_the_contributor_may_write(db):
    content = "Proposition;Organisation;Titre;Statut\r\n3;Lile;Titre;Réalisée\r\n".encode("cp1252")
    report = importer.import_contributions(db, actor_of(db, "contributor_lille"), content, "f.csv")
    [problem] = report.problems
    assert problem.column == "organisation" and "mel (MEL)" in problem.message
    assert "lyon-metropole" not in problem.message
