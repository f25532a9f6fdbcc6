"""Bulk import: French Excel files just work, one bad line imports nothing and
is named, and a file exported from the tool imports back as is."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.test_permissions import actor_of
from tracker.contributions import actions as contributions
from tracker.contributions import importer
from tracker.contributions import queries as contribution_queries
from tracker.contributions.rules import EDITABLE_FIELDS
from tracker.db.models import AuditEntry, Contribution
from tracker.i18n import typography

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

FRENCH_EXCEL = (
    "proposal;title;description;status;progress;start_date;end_date;partner_country;"
    "partner_authority;evidence_links;budget_eur;contact\r\n"
    "4;Coopération avec Saint-Louis;Ateliers « numérique » à l’école;engagee;35;01/09/2025;"
    "30/06/2027;SN;Ville de Saint-Louis;https://exemple.org/a;12 345,67;élu@lille.invalid\r\n"
    "7;Formation des agents;Données ouvertes;partiellement_realisee;50;15/01/2024;;;;;"
    "1500,5;\r\n"
).encode("cp1252")


def count(session) -> int:
    return session.scalar(select(func.count(Contribution.id)))


def test_a_french_excel_csv_in_windows_1252_with_semicolons_imports(db):
    lille = actor_of(db, "contributor_lille")
    before = count(db)
    report = importer.import_contributions(db, lille, FRENCH_EXCEL, "export-excel.csv")
    assert report.ok, report.problems
    assert (report.created, report.written) == (2, True)
    assert count(db) == before + 2
    own = contribution_queries.working_frame(db, lille)
    row = own[own["title"] == "Coopération avec Saint-Louis"].iloc[0]
    assert row["description"] == "Ateliers « numérique » à l’école"
    assert row["budget_eur"] == Decimal("12345.67")
    assert row["start_date"].isoformat() == "2025-09-01"
    assert row["organisation"] == "mel" and row["state"] == "draft"


def test_utf8_with_bom_and_commas_imports_too(db):
    content = "\ufeffproposal,title,status,progress\n3,Vitrine,engagee,5\n".encode()
    report = importer.import_contributions(db, actor_of(db, "contributor_lyon"), content, "f.csv")
    assert report.ok and report.created == 1


def test_a_file_with_one_bad_line_imports_nothing_and_names_the_line(db):
    lille = actor_of(db, "contributor_lille")
    bad = FRENCH_EXCEL + "5;Troisième;;engagee;35;31/02/2026;;;;;;\r\n".encode("cp1252")
    before = count(db)
    report = importer.import_contributions(db, lille, bad, "f.csv")
    assert not report.ok and not report.written
    assert [(p.line, p.column) for p in report.problems] == [(4, "start_date")]
    assert "31/02/2026" in report.problems[0].message
    assert count(db) == before


def test_a_rule_broken_on_one_line_rolls_back_the_lines_already_written(db):
    lille = actor_of(db, "contributor_lille")
    bad = FRENCH_EXCEL + "5;Troisième;;realisee;40;;;;;;;\r\n".encode("cp1252")
    before = count(db)
    report = importer.import_contributions(db, lille, bad, "f.csv")
    assert [(p.line, p.column) for p in report.problems] == [(4, "progress")]
    assert count(db) == before


def test_errors_are_in_the_users_language(db):
    content = b"proposal;title;status\n3;Titre;peut-etre\n"
    lille = actor_of(db, "contributor_lille")
    french = importer.import_contributions(db, lille, content, "f.csv", lang="fr").problems[0]
    english = importer.import_contributions(db, lille, content, "f.csv", lang="en").problems[0]
    assert (french.line, french.column) == (2, "status")
    assert french.message.startswith(
        typography(
            "« peut-etre » ne fait pas partie des valeurs acceptées : Non engagée, Engagée, "
            "Partiellement réalisée, Réalisée, En suspens, Abandonnée",
            "fr",
        )
    )
    assert "is not one of the accepted values: Not started, In progress," in english.message


def test_a_missing_required_column_is_reported_on_the_header_line(db):
    report = importer.import_contributions(
        db, actor_of(db, "contributor_lille"), b"proposal;status\n3;engagee\n", "f.csv"
    )
    assert [(p.line, p.column) for p in report.problems] == [(1, "title")]


def test_a_dry_run_checks_everything_and_writes_nothing(db):
    before = count(db)
    report = importer.import_contributions(
        db, actor_of(db, "contributor_lille"), FRENCH_EXCEL, "f.csv", dry_run=True
    )
    assert report.ok and report.created == 2 and not report.written
    assert count(db) == before


def test_files_over_the_limits_are_refused_before_reading(db):
    lille = actor_of(db, "contributor_lille")
    big = b"proposal;title;status\n" + b"3;x;engagee\n" * 10_001
    assert "10" in importer.import_contributions(db, lille, big, "f.csv").problems[0].message
    huge = b"x" * (importer.MAX_BYTES + 1)
    assert not importer.import_contributions(db, lille, huge, "f.csv").ok


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-be", "utf-32"], ids=["utf-16", "utf-16-be", "utf-32"]
)
def test_a_csv_in_another_encoding_is_refused_with_what_to_do(db, encoding):
    lille = actor_of(db, "contributor_lille")
    before = count(db)
    content = FRENCH_EXCEL.decode("cp1252").encode(encoding)
    french = typography("enregistrez-le au format « CSV UTF-8 »", "fr")
    for lang, words in (("fr", french), ("en", "save it as")):
        report = importer.import_contributions(db, lille, content, "f.csv", lang=lang)
        assert [(p.line, p.column) for p in report.problems] == [(0, "")]
        assert words in report.problems[0].message
        assert "\x00" not in report.problems[0].message
    assert count(db) == before


def test_an_exported_csv_imports_back_and_its_ids_update_the_same_contributions(db):
    lille = actor_of(db, "contributor_lille")
    own = contribution_queries.working_frame(db, lille)
    exported = importer.to_import_csv(importer.export_frame(own, public=False))
    before = count(db)
    edited = exported.replace(b"Formation des agents", "Formation élargie".encode())
    report = importer.import_contributions(db, lille, edited, "export.csv")
    assert report.ok, report.problems
    assert report.created == 0 and report.updated == 1 and count(db) == before
    assert report.unchanged == len(own) - 1


def test_an_exported_xlsx_imports_back_unchanged(db):
    lille = actor_of(db, "contributor_lille")
    own = contribution_queries.working_frame(db, lille)
    workbook = importer.to_import_xlsx(importer.export_frame(own, public=False))
    sheet = load_workbook(io.BytesIO(workbook)).worksheets[0]
    assert [c.value for c in sheet[1]] == importer.columns()
    report = importer.import_contributions(db, lille, workbook, "export.xlsx")
    assert report.ok, report.problems
    assert report.unchanged == len(own) and report.created == 0


def test_formula_like_text_is_neutralised_on_export_and_restored_on_import(db):
    lille = actor_of(db, "contributor_lille")
    item = contributions.create(
        db,
        lille,
        {"proposal": 3, "title": '=HYPERLINK("http://x")', "status": "engagee", "progress": 1},
    )
    own = contribution_queries.working_frame(db, lille)
    exported = importer.to_import_csv(importer.export_frame(own, public=False)).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported
    assert ";=HYPERLINK" not in exported and ';"=HYPERLINK' not in exported
    report = importer.import_contributions(db, lille, exported.encode(), "export.csv")
    assert report.ok and report.updated == 0
    assert item.title.startswith("=HYPERLINK")


def test_a_contributor_cannot_update_another_organisations_contribution_by_id(db):
    """…and cannot tell it from an id that does not exist: the same answer."""
    lyon = actor_of(db, "contributor_lyon")
    lille_ids = contribution_queries.working_frame(db, actor_of(db, "contributor_lille"))["id"]
    answers = []
    for contribution_id in (lille_ids.iloc[0], 999_999):
        content = f"id;proposal;title;status;progress\n{contribution_id};3;Pris;engagee;5\n"
        report = importer.import_contributions(db, lyon, content.encode(), "f.csv")
        assert [(p.line, p.column, p.kind) for p in report.problems] == [(2, "id", "NotFound")]
        answers.append(report.problems[0].message.replace(str(contribution_id), "N"))
    assert answers[0] == answers[1]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_id_of_another_organisation_is_answered_as_an_id_that_does_not_exist(db, lang):
    """The importer must not tell a contributor which ids exist elsewhere."""
    lyon = actor_of(db, "contributor_lyon")
    theirs = int(
        contribution_queries.working_frame(db, actor_of(db, "contributor_lille"))["id"].iloc[0]
    )
    missing = 10**6 + theirs
    content = (
        f"id;proposal;title;status;progress\n{theirs};3;Pris;engagee;5\n{missing};3;Pris;engagee;5\n"
    ).encode()
    report = importer.import_contributions(db, lyon, content, "f.csv", lang=lang)
    other, absent = report.problems
    assert (other.column, other.kind) == (absent.column, absent.kind) == ("id", "NotFound")
    assert other.message.replace(str(theirs), "N") == absent.message.replace(str(missing), "N")


def test_the_public_export_carries_no_contact(db):
    public = importer.export_frame(contribution_queries.public_frame(db), public=True)
    assert len(public) >= 4
    assert set(public["contact"]) == {""} and set(public["state"]) == {"validated"}


def _trail(session, ids):
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "contribution", AuditEntry.entity_id.in_([str(i) for i in ids]))
        .order_by(AuditEntry.id)
    ).all()
    return [
        (r.actor, r.actor_role, r.action, r.field, r.old_value, r.new_value, r.origin) for r in rows
    ]


def _stored(session, ids):
    columns = ["proposal_id", "organisation_id", "state", "created_by", "version", "submitted_at"]
    columns += list(EDITABLE_FIELDS)
    session.expire_all()  # both read back from the database
    return [tuple(getattr(session.get(Contribution, i), c) for c in columns) for i in sorted(ids)]


@pytest.mark.parametrize("submit", [False, True], ids=["drafts", "submitted"])
def test_an_import_stores_and_audits_each_row_as_creating_it_one_by_one_would(db, submit):
    lille = actor_of(db, "contributor_lille")
    rows = [
        {
            "proposal": 4,
            "title": "Une",
            "status": "engagee",
            "progress": 35,
            "partner_country": "SN",
        },
        {"proposal": 7, "title": "Deux", "status": "realisee", "budget_eur": "1500,5"},
    ]
    one_by_one = []
    for fields in rows:
        made = contributions.create(db, lille, fields, at=AT, origin="import")
        if submit:
            contributions.submit(db, lille, made.id, at=AT, origin="import")
        one_by_one.append(made.id)
    db.flush()
    in_bulk = contributions.create_many(db, lille, rows, at=AT, submit=submit).ids
    assert len(in_bulk) == 2
    assert _stored(db, in_bulk) == _stored(db, one_by_one)
    assert _trail(db, in_bulk) == _trail(db, one_by_one)
    assert {r[0] for r in _trail(db, in_bulk)} == {"lille@demo.invalid"}


def test_a_bulk_creation_with_one_refused_item_writes_nothing_and_says_which(db):
    lille = actor_of(db, "contributor_lille")
    before = count(db)
    made = contributions.create_many(
        db,
        lille,
        [
            {"proposal": 4, "title": "Bonne", "status": "engagee", "progress": 5},
            {"proposal": 99, "title": "Mauvaise proposition", "status": "engagee"},
            {
                "proposal": 4,
                "title": "Autre organisation",
                "status": "engagee",
                "organisation": "lyon-metropole",
            },
        ],
        at=AT,
    )
    assert made.ids == [] and made.valid == 1
    assert {i: (type(e).__name__, e.params["field"]) for i, e in made.refused.items()} == {
        1: ("ValidationError", "proposal"),
        2: ("PermissionDenied", "organisation"),
    }
    assert count(db) == before
