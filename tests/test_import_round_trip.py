"""Importing is idempotent: a row that changes nothing is skipped and counted
« inchangée », the same file twice creates rows once, each role's own export
re-imported as it is leaves the database identical, and a new row repeating
an existing contribution is a probable duplicate unless confirmed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.test_permissions import actor_of
from tracker.contributions import actions as contributions
from tracker.contributions import importer
from tracker.contributions import queries as contribution_queries
from tracker.db.models import Base

ROLES = ["contributor_lille", "contributor_lyon", "reviewer", "administrator"]


def database(session) -> dict[str, list[tuple]]:
    """Every row of every table, as the database holds it."""
    session.flush()
    session.expire_all()
    return {
        table.name: sorted((tuple(row) for row in session.execute(select(table)).all()), key=repr)
        for table in Base.metadata.sorted_tables
    }


def export(session, actor, file_format: str) -> bytes:
    frame = importer.export_for(session, actor)
    return (
        importer.to_import_xlsx(frame) if file_format == "xlsx" else importer.to_import_csv(frame)
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_each_roles_export_re_imported_unchanged_leaves_the_database_identical(
    db, role, file_format
):
    actor = actor_of(db, role)
    content = export(db, actor, file_format)
    rows = len(importer.export_for(db, actor))
    assert rows >= 2
    before = database(db)
    report = importer.import_contributions(db, actor, content, f"export.{file_format}")
    assert report.ok, report.problems
    assert (report.unchanged, report.updated, report.created) == (rows, 0, 0)
    assert database(db) == before  # no version, no state change, no audit row, no revision


def test_a_contributors_export_holds_its_organisations_contributions_in_every_state(db):
    lille = actor_of(db, "contributor_lille")
    frame = importer.export_for(db, lille)
    own = contribution_queries.working_frame(db, lille)
    assert set(frame["organisation"]) == {"mel"}
    assert sorted(frame["id"]) == sorted(own["id"])
    assert "validated" in set(frame["state"]) and len(set(frame["state"])) >= 2
    assert list(frame["contact"]) == list(own["contact"])


def test_a_validated_contribution_re_imported_unchanged_stays_validated(db):
    lille = actor_of(db, "contributor_lille")
    frame = importer.export_for(db, lille)
    validated = frame[frame["state"] == "validated"]
    assert not validated.empty
    content = importer.to_import_csv(validated)
    report = importer.import_contributions(db, lille, content, "export.csv")
    assert report.ok and report.unchanged == len(validated)
    again = importer.export_for(db, lille)
    assert set(again[again["id"].isin(validated["id"])]["state"]) == {"validated"}


def test_another_organisations_published_row_is_refused_only_if_it_would_change_it(db):
    lyon = actor_of(db, "contributor_lyon")
    public = importer.export_for(db, None)
    lille_rows = public[public["organisation"] == "mel"].head(1)
    assert len(lille_rows) == 1
    unchanged = importer.import_contributions(
        db, lyon, importer.to_import_csv(lille_rows), "public.csv"
    )
    assert unchanged.ok and unchanged.unchanged == 1
    changed = lille_rows.assign(title="Pris par Lyon")
    report = importer.import_contributions(db, lyon, importer.to_import_csv(changed), "p.csv")
    assert [(p.column, p.kind) for p in report.problems] == [("id", "NotFound")]


def test_a_reviewer_may_re_import_unchanged_rows_but_not_change_any(db):
    reviewer = actor_of(db, "reviewer")
    frame = importer.export_for(db, reviewer).head(2)
    changed = frame.assign(title=["Changé", frame["title"].iloc[1]])
    report = importer.import_contributions(db, reviewer, importer.to_import_csv(changed), "f.csv")
    assert [(p.line, p.column, p.kind) for p in report.problems] == [(2, "id", "PermissionDenied")]


NEW_ROWS = (
    "Proposition;Titre;Statut;Avancement (%);Début\r\n"
    "n° 7;Atelier données ouvertes;Engagée;40 %;01/09/2025\r\n"
    "4;Coopération Saint-Louis;Engagée;10;15/01/2026\r\n"
).encode("cp1252")


def test_the_same_file_imported_twice_creates_its_rows_once(db):
    lille = actor_of(db, "contributor_lille")
    first = importer.import_contributions(db, lille, NEW_ROWS, "nouvelles.csv")
    assert first.ok and first.created == 2
    before = database(db)
    second = importer.import_contributions(db, lille, NEW_ROWS, "nouvelles.csv")
    assert second.ok, second.problems
    assert (second.created, second.unchanged) == (0, 2)
    assert database(db) == before


def test_a_new_row_repeating_a_contribution_with_other_values_is_a_probable_duplicate(db):
    lille = actor_of(db, "contributor_lille")
    made = contributions.create(
        db,
        lille,
        {
            "proposal": 7,
            "title": "Atelier données ouvertes",
            "status": "engagee",
            "progress": 10,
            "start_date": "01/09/2025",
        },
    )
    before = database(db)
    report = importer.import_contributions(db, lille, NEW_ROWS, "nouvelles.csv")
    assert [(p.line, p.column, p.kind) for p in report.problems] == [(2, "title", "Duplicate")]
    assert f"n° {made.id}" in report.problems[0].message
    assert report.duplicates == 1 and database(db) == before
    confirmed = importer.import_contributions(
        db, lille, NEW_ROWS, "nouvelles.csv", confirm_duplicates=True
    )
    assert confirmed.ok and confirmed.created == 2


def test_two_rows_of_one_file_that_repeat_each_other_are_probable_duplicates(db):
    lille = actor_of(db, "contributor_lille")
    twice = NEW_ROWS + "7;atelier DONNEES ouvertes;Engagée;50;2025-09-01\r\n".encode("cp1252")
    report = importer.import_contributions(db, lille, twice, "f.csv")
    [problem] = report.problems
    assert (problem.line, problem.kind) == (4, "Duplicate") and "ligne 2" in problem.message


def test_the_review_queue_flags_a_probable_duplicate(db):
    lille = actor_of(db, "contributor_lille")
    fields = {
        "proposal": 9,
        "title": "Jumelage numérique",
        "status": "engagee",
        "progress": 10,
        "partner_country": "SN",
        "partner_authority": "Ville de Saint-Louis",
        "start_date": "01/09/2025",
    }
    first = contributions.create(db, lille, fields, submit=True)
    second = contributions.create(
        db,
        lille,
        {**fields, "title": "Jumelage avec Saint-Louis", "start_date": "15/10/2025"},
        submit=True,
    )
    elsewhere = contributions.create(
        db, lille, {**fields, "partner_authority": "Dakar", "title": "Autre"}, submit=True
    )
    queue = {
        i.contribution["id"]: i
        for i in contribution_queries.review_queue(db, actor_of(db, "reviewer"))
    }
    assert queue[first.id].duplicates == (second.id,)
    assert queue[second.id].duplicates == (first.id,)
    assert queue[elsewhere.id].duplicates == ()
