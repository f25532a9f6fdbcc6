"""The official wording loaded from a file: the catalogue exported, corrected
in a spreadsheet and loaded back shows every change before one transaction
writes them with their history; an unchanged file changes nothing; a file that
does not hold exactly the numbers 1 to 20 is refused with every reason."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tracker.catalogue import actions as catalogue
from tracker.catalogue.wording import (
    WORDING_COLUMNS,
    WordingRefused,
    preview_wording,
    to_file,
    wording_frame,
)
from tracker.cli import main
from tracker.contributions.files import read_table
from tracker.db.engine import make_engine, reading
from tracker.db.models import AuditEntry, Proposal, ProposalChange
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import Role
from tracker.errors import PermissionDenied

ADMIN = Actor("Administratrice", Role.ADMINISTRATOR)


def _exported(engine, fmt: str) -> bytes:
    with reading(engine) as session:
        return to_file(wording_frame(session), fmt)


def _counts(engine) -> tuple[int, int, list[int]]:
    with reading(engine) as session:
        changes = session.scalar(select(func.count()).select_from(ProposalChange))
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
        versions = list(session.scalars(select(Proposal.version).order_by(Proposal.number)))
    return changes, audits, versions


def _edited_csv(engine, edit) -> bytes:
    frame = pd.read_csv(io.BytesIO(_exported(engine, "csv")), sep=";", dtype=str).fillna("")
    edit(frame)
    return ("\ufeff" + frame.to_csv(index=False, sep=";")).encode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exported_catalogue_loaded_back_unchanged_changes_nothing(demo_engine, fmt):
    before = _counts(demo_engine)
    table = read_table(_exported(demo_engine, fmt), f"catalogue.{fmt}")
    assert table.header == list(WORDING_COLUMNS)
    assert len(table.rows) == 20
    done = catalogue.import_wording(demo_engine, ADMIN, table.header, table.rows, table.lines)
    assert done.changes == []
    assert _counts(demo_engine) == before


def test_a_corrected_file_shows_each_change_then_writes_them_in_one_go(demo_engine):
    def edit(frame):
        frame.loc[frame["number"] == "3", "title_en"] = "Select showcase territories (report)"
        frame.loc[frame["number"] == "5", "wording_status"] = "verbatim"
        frame.loc[frame["number"] == "5", "report_reference"] = "p. 42"

    table = read_table(_edited_csv(demo_engine, edit), "catalogue.csv")
    with reading(demo_engine) as session:
        preview = preview_wording(session, table.header, table.rows, table.lines)
        old_status = session.scalar(select(Proposal.wording_status).where(Proposal.number == 5))
    assert old_status != "verbatim"
    assert [(c.number, c.field, c.new) for c in preview.changes] == [
        (3, "title_en", "Select showcase territories (report)"),
        (5, "report_reference", "p. 42"),
        (5, "wording_status", "verbatim"),
    ]
    changes, audits, _ = _counts(demo_engine)
    catalogue.import_wording(demo_engine, ADMIN, table.header, table.rows, table.lines)
    with reading(demo_engine) as session:
        five = session.scalar(select(Proposal).where(Proposal.number == 5))
        assert (five.wording_status, five.report_reference) == ("verbatim", "p. 42")
        written = session.scalars(
            select(ProposalChange).where(ProposalChange.origin == "wording_file")
        ).all()
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "proposal.wording_file")
        ).all()
    assert sorted((w.field, w.new_value) for w in written) == [
        ("report_reference", "p. 42"),
        ("title_en", "Select showcase territories (report)"),
        ("wording_status", "verbatim"),
    ]
    assert {a.entity_id for a in audit} == {"3", "5"}
    assert _counts(demo_engine)[:2] == (changes + 3, audits + 3)
    # The same file again: nothing more.
    again = catalogue.import_wording(demo_engine, ADMIN, table.header, table.rows, table.lines)
    assert again.changes == []


def test_a_file_without_exactly_the_numbers_1_to_20_is_refused_with_every_reason(demo_engine):
    def edit(frame):
        frame.loc[frame["number"] == "20", "number"] = "4"  # 4 twice, 20 missing
        frame.loc[frame["number"] == "7", "number"] = "21"
        frame.loc[frame["number"] == "9", "primary_theme"] = "verte"

    before = _counts(demo_engine)
    table = read_table(_edited_csv(demo_engine, edit), "catalogue.csv")
    with pytest.raises(WordingRefused) as refused:
        catalogue.import_wording(demo_engine, ADMIN, table.header, table.rows, table.lines)
    keys = [(p.key, p.params) for p in refused.value.problems]
    assert ("error.bad_cell", {"line": 10, "column": "primary_theme", "value": "verte"}) in [
        (k, {n: (int(v) if n == "line" else v) for n, v in p.items()}) for k, p in keys
    ]
    assert ("wording.error_duplicates", {"numbers": "4"}) in keys
    assert ("wording.error_extra", {"numbers": "21"}) in keys
    assert ("wording.error_missing", {"numbers": "7, 20"}) in keys
    assert _counts(demo_engine) == before


def test_only_those_who_edit_the_catalogue_load_it(demo_engine):
    table = read_table(_exported(demo_engine, "csv"), "catalogue.csv")
    contributor = Actor("Lille", Role.CONTRIBUTOR, organisation_id=1)
    with pytest.raises(PermissionDenied):
        catalogue.import_wording(demo_engine, contributor, table.header, table.rows, table.lines)


def test_the_command_line_exports_previews_and_loads(
    demo_sqlite_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_sqlite_url)
    out = tmp_path / "catalogue.xlsx"
    assert main(["catalogue", "export", "--format", "xlsx", "--out", str(out)]) == 0
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(WORDING_COLUMNS)
    assert [r[0] for r in rows[1:]] == list(range(1, 21))
    sheet.cell(row=3, column=3).value = "Create a “French Cité” label (official)"  # n° 2, title_en
    sheet.parent.save(out)
    engine = make_engine(demo_sqlite_url)
    before = _counts(engine)
    code = main(["catalogue", "import", str(out), "--as", "admin@demo.invalid", "--dry-run"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "n° 2 — " in printed
    assert "(official)" in printed and "Rien n’a été enregistré" in printed
    assert _counts(engine) == before
    assert main(["catalogue", "import", str(out), "--as", "admin@demo.invalid"]) == 0
    assert "1 changement(s) sur 1 proposition(s)" in capsys.readouterr().out
    with reading(engine) as session:
        title = session.scalar(select(Proposal.title_en).where(Proposal.number == 2))
    assert title == "Create a “French Cité” label (official)"
    engine.dispose()


def test_what_the_secretariat_corrected_survives_a_server_start(demo_engine):
    """Every server start prepares the database from the catalogue files: it
    adds what is missing and never puts a corrected wording or organisation
    back to the files' text (it did, at every start)."""
    from tracker.db.models import Organisation
    from tracker.operations.seed import prepare_database

    def edit(frame):
        frame.loc[frame["number"] == "3", "title_fr"] = (
            "Sélectionner des territoires vitrines (texte officiel)"
        )

    table = read_table(_edited_csv(demo_engine, edit), "catalogue.csv")
    catalogue.import_wording(demo_engine, ADMIN, table.header, table.rows, table.lines)
    with reading(demo_engine) as session:
        org = session.scalar(select(Organisation).order_by(Organisation.code))
        row = {
            "code": org.code,
            "short_name": org.short_name + " (corrigé)",
            "full_name": org.full_name,
            "kind": org.kind,
            "siren": org.siren or "",
            "website": org.website or "",
        }
    catalogue.save_organisation(demo_engine, ADMIN, row)
    before = _counts(demo_engine)
    prepare_database(demo_engine, demo=True)  # what a server does when it starts
    with reading(demo_engine) as session:
        title = session.scalar(select(Proposal.title_fr).where(Proposal.number == 3))
        short = session.scalar(
            select(Organisation.short_name).where(Organisation.code == row["code"])
        )
    assert title == "Sélectionner des territoires vitrines (texte officiel)"
    assert short == row["short_name"]
    assert _counts(demo_engine) == before
