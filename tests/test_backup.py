"""Backup and restore: nothing lost, from SQLite to PostgreSQL and back."""

import json
import zipfile

import pytest
from sqlalchemy import func, select

from tracker.cli import main
from tracker.db.engine import current_revision, make_engine
from tracker.db.models import Base, ProposalChange
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import SYSTEM
from tracker.errors import Conflict, ValidationError
from tracker.followup import queries
from tracker.followup.actions import update_followup
from tracker.operations.backup import backup, content_digest, restore


def test_backup_writes_every_table_with_a_manifest_and_checksums(demo_engine, tmp_path):
    report = backup(demo_engine, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["tables"]) == {t.name for t in Base.metadata.sorted_tables}
    assert manifest["tables"]["proposals"]["rows"] == 20
    assert report.tables["proposal_changes"] > 300
    assert all(len(entry["sha256"]) == 64 for entry in manifest["tables"].values())


def test_sqlite_to_postgresql_and_back_gives_the_same_content(
    seeded_sqlite_file, postgres_url, tmp_path
):
    source = make_engine(f"sqlite:///{seeded_sqlite_file}")
    backup(source, tmp_path / "first.zip")
    target = make_engine(postgres_url)
    counts = restore(target, tmp_path / "first.zip")
    assert counts["proposals"] == 20
    backup(target, tmp_path / "second.zip")
    first, second = content_digest(tmp_path / "first.zip"), content_digest(tmp_path / "second.zip")
    moving = {"audit_log", "settings"}
    assert {k: v for k, v in first.items() if k not in moving} == {
        k: v for k, v in second.items() if k not in moving
    }
    # Settings are the archive's, but for the data revision, which moves on so
    # that no cache keyed on an earlier one is served again.
    before, after = (
        table_rows(tmp_path / "first.zip", "settings"),
        table_rows(tmp_path / "second.zip", "settings"),
    )
    revision = {row["key"]: row["value"] for row in before}["revision"]
    assert [r for r in after if r["key"] != "revision"] == [
        r for r in before if r["key"] != "revision"
    ]
    assert int({row["key"]: row["value"] for row in after}["revision"]) > int(revision)
    # The audit log is the archive's, plus one entry: the restore itself.
    before, after = audit_rows(tmp_path / "first.zip"), audit_rows(tmp_path / "second.zip")
    assert after[: len(before)] == before
    assert [row["action"] for row in after[len(before) :]] == ["restore"]
    # The restored database keeps working: new history rows get new ids.
    with transaction(target) as session:
        update_followup(session, SYSTEM, 2, {"next_steps_fr": "Après restauration"})
        assert (
            session.scalar(select(func.count(ProposalChange.id))) == counts["proposal_changes"] + 1
        )
    with transaction(target) as session:
        assert queries.proposals_frame(session).equals(queries.proposals_frame(session))
    source.dispose()
    target.dispose()


def table_rows(path, table: str) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        lines = archive.read(f"tables/{table}.jsonl").decode().splitlines()
    return [json.loads(line) for line in lines]


def audit_rows(path) -> list[dict]:
    return table_rows(path, "audit_log")


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(demo_engine, tmp_path):
    backup(demo_engine, tmp_path / "b.zip")
    with pytest.raises(Conflict):
        restore(demo_engine, tmp_path / "b.zip")
    with transaction(demo_engine) as session:
        update_followup(session, SYSTEM, 3, {"next_steps_fr": "Changé après la sauvegarde"})
    restore(demo_engine, tmp_path / "b.zip", force=True)
    with transaction(demo_engine) as session:
        frame = queries.proposals_frame(session).set_index("number")
    assert frame.loc[3, "next_steps_fr"] != "Changé après la sauvegarde"


def test_a_corrupted_archive_restores_nothing(demo_engine, tmp_path):
    backup(demo_engine, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    items["tables/proposals.jsonl"] = items["tables/proposals.jsonl"].replace(
        b"engagee", b"realisee", 1
    )
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        for name, data in items.items():
            archive.writestr(name, data)
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(ValidationError) as raised:
        restore(empty, tmp_path / "bad.zip")
    assert raised.value.key == "error.backup_checksum"
    assert current_revision(empty) is None  # checked before anything was written
    (tmp_path / "not.zip").write_bytes(b"not a zip")
    with pytest.raises(ValidationError):
        restore(empty, tmp_path / "not.zip")
    empty.dispose()


def test_cli_backup_then_restore(seeded_sqlite_file, sqlite_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{seeded_sqlite_file}")
    assert main(["backup", str(tmp_path / "cli.zip")]) == 0
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
    assert main(["restore", str(tmp_path / "cli.zip")]) == 0
    assert main(["restore", str(tmp_path / "cli.zip")]) == 1
    assert "--force" in capsys.readouterr().err
