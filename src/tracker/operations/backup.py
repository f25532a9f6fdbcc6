"""Backup and restore: every table in one zip archive, with a manifest and checksums.

The archive is independent of the database engine, so `backup` on the embedded
SQLite file and `restore` on PostgreSQL is how an installation moves from one
to the other. Tables are read from the SQLAlchemy metadata: a table added by a
later migration is saved and restored without changing this module.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import (
    Date,
    DateTime,
    Engine,
    Integer,
    Numeric,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from tracker import __version__, audit
from tracker.db import settings
from tracker.db.engine import current_revision, upgrade
from tracker.db.models import Base
from tracker.domain.permissions import SYSTEM, Actor
from tracker.errors import Conflict, ValidationError

FORMAT = "tracker-backup/1"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: dict[str, int]


def _tables() -> list[Table]:
    """Tables in an order where every referenced row comes first."""
    return list(Base.metadata.sorted_tables)


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact, unlike a JSON float
    return value


def _decode(table: Table, row: dict[str, object]) -> dict[str, object]:
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if value is None:
            continue
        if isinstance(column.type, DateTime):
            out[column.name] = datetime.fromisoformat(str(value))
        elif isinstance(column.type, Date):
            out[column.name] = date.fromisoformat(str(value))
        elif isinstance(column.type, Numeric) and not isinstance(column.type, Integer):
            out[column.name] = Decimal(str(value))
    return out


def _dump(engine: Engine, table: Table) -> bytes:
    order = list(table.primary_key.columns) or list(table.columns)
    lines = []
    with engine.connect() as connection:
        for row in connection.execute(select(table).order_by(*order)).mappings():
            record = {key: _encode(value) for key, value in row.items()}
            lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def backup(engine: Engine, path: Path) -> BackupReport:
    """Write every table to `path` (a zip): one JSON-lines file per table and a
    manifest with row counts and SHA-256 checksums."""
    upgrade(engine)
    manifest: dict[str, object] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "tracker_version": __version__,
        "schema_revision": current_revision(engine),
        "source_dialect": engine.dialect.name,
        "tables": {},
    }
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in _tables():
            data = _dump(engine, table)
            name = f"tables/{table.name}.jsonl"
            archive.writestr(name, data)
            counts[table.name] = data.count(b"\n")
            manifest["tables"][table.name] = {  # type: ignore[index]
                "file": name,
                "rows": counts[table.name],
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return BackupReport(path, counts)


def _read_archive(path: Path) -> tuple[dict, dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError("error.backup_unreadable", value=str(path)) from error
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError) as error:
            raise ValidationError("error.backup_unreadable", value=str(path)) from error
        if manifest.get("format") != FORMAT:
            raise ValidationError("error.backup_format", value=manifest.get("format"))
        files: dict[str, bytes] = {}
        for name, entry in manifest["tables"].items():
            data = archive.read(entry["file"])
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise ValidationError("error.backup_checksum", value=name)
            files[name] = data
    return manifest, files


def _row_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return sum(
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in _tables()
        )


def restore(
    engine: Engine, path: Path, *, force: bool = False, actor: Actor = SYSTEM
) -> dict[str, int]:
    """Load an archive into `engine`'s database, in one transaction.

    Checksums are checked before anything is written. A database that already
    holds rows is refused unless `force`, in which case its rows are replaced.
    """
    manifest, files = _read_archive(Path(path))
    upgrade(engine)
    if manifest.get("schema_revision") != current_revision(engine):
        raise ValidationError(
            "error.backup_revision",
            value=manifest.get("schema_revision"),
            expected=current_revision(engine),
        )
    known = {table.name for table in _tables()}
    unknown = sorted(set(files) - known)
    if unknown:
        raise ValidationError("error.backup_format", value=", ".join(unknown))
    if _row_count(engine) and not force:
        raise Conflict("error.restore_not_empty")
    counts: dict[str, int] = {}
    with Session(engine) as session:
        revision_before = settings.revision(session)
    with engine.begin() as connection, _guards_lifted(connection):
        for table in reversed(_tables()):
            connection.execute(table.delete())
        for table in _tables():
            lines = files.get(table.name, b"").decode("utf-8").splitlines()
            rows = [_decode(table, json.loads(line)) for line in lines if line.strip()]
            if rows:
                connection.execute(insert(table), rows)
            counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    with Session(engine) as session, session.begin():
        # Above any revision a cache may have seen before, so none is served again.
        restored = settings.revision(session)
        settings.put(session, settings.REVISION_KEY, str(max(restored, revision_before) + 1))
        # The restored audit log is the archive's; the restore itself is its next entry.
        audit.record(
            session,
            actor,
            "restore",
            "database",
            manifest.get("created_at", ""),
            at=datetime.now(UTC),
            origin="cli",
        )
    return counts


@contextmanager
def _guards_lifted(connection) -> Iterator[None]:
    """The database's own triggers (the audit log is append-only) are lifted
    while a whole archive replaces the content, inside the same transaction, and
    put back before it commits."""
    if connection.dialect.name == "postgresql":
        names = [t.name for t in _tables()]
        for name in names:
            connection.execute(text(f'ALTER TABLE "{name}" DISABLE TRIGGER USER'))
        yield
        for name in names:
            connection.execute(text(f'ALTER TABLE "{name}" ENABLE TRIGGER USER'))
        return
    triggers = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    ).all()
    for name, _ in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _, sql in triggers:
        connection.execute(text(sql))


def _reset_sequences(connection) -> None:
    """After explicit ids were inserted, new rows must not reuse them."""
    for table in _tables():
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, Integer):
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"COALESCE((SELECT MAX({keys[0].name}) FROM {table.name}), 0) + 1, false)"
                ),
                {"table": table.name, "column": keys[0].name},
            )


def content_digest(path: Path) -> dict[str, str]:
    """Checksums of each table in an archive: two archives with the same digest
    hold the same data, whatever their dates."""
    manifest, _ = _read_archive(path)
    return {name: entry["sha256"] for name, entry in manifest["tables"].items()}
