"""Hostile files sent to the import: archive bombs of several shapes, sheets
that lie about their size, fields longer than the CSV reader allows. Each is
refused quickly with a clear message, before any transaction is opened, so the
database's write lock stays free for everybody else."""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import event
from sqlalchemy.engine.url import make_url

from tests.test_permissions import actor_of
from tracker.contributions import files, importer
from tracker.db.engine import make_engine, reading
from tracker.errors import ValidationError
from tracker.i18n import describe

HEADER = ["proposal", "title", "status"]
ROW = [3, "Atelier", "engagee"]


def workbook(cells: dict[tuple[int, int], object] | None = None) -> bytes:
    """A valid import workbook (header and one row), with extra cells."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(ROW)
    for (row, column), value in (cells or {}).items():
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    """The same archive with `name` replaced by (or added as) `data`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        target.writestr(name, data, zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


SHARED_STRINGS = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def shared_strings_bomb(size: int) -> bytes:
    """One shared string of `size` characters, declared in the package: a few
    hundred KB compressed, `size` bytes once read."""
    text = b'<?xml version="1.0" encoding="UTF-8"?>'
    text += b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
    text += b' uniqueCount="1"><si><t>' + b"A" * size + b"</t></si></sst>"
    content = with_member(workbook(), "xl/sharedStrings.xml", text)
    types = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml").decode()
    return with_member(
        content, "[Content_Types].xml", types.replace("</Types>", SHARED_STRINGS).encode()
    )


def sheet_bomb(size: int) -> bytes:
    """The sheet itself holds a cell of `size` characters."""
    sheet = zipfile.ZipFile(io.BytesIO(workbook())).read("xl/worksheets/sheet1.xml")
    cell = b'<c r="D2" t="inlineStr"><is><t>' + b"A" * size + b"</t></is></c></row>"
    big = sheet.replace(b"</row></sheetData>", cell + b"</sheetData>")
    return with_member(workbook(), "xl/worksheets/sheet1.xml", big)


def refusal(content: bytes, filename: str = "f.xlsx") -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        files.read_table(content, filename)
    return describe(caught.value, "fr"), time.monotonic() - started


def test_a_small_sheet_declaring_the_largest_dimension_is_refused_at_once():
    # 5 KB on disk; the declared dimension A1:XFD1048576 is 17 billion cells.
    content = workbook({(1_048_576, 16_384): "x"})
    assert len(content) < 10_000
    message, seconds = refusal(content)
    assert "lignes" in message and seconds < 5


def test_a_value_far_to_the_right_is_refused_as_too_many_columns():
    message, seconds = refusal(workbook({(2, 500): "x"}))
    assert f"colonne {files.MAX_COLUMNS}" in message and seconds < 5


def test_data_after_many_empty_rows_counts_the_empty_rows_too():
    message, _ = refusal(workbook({(files.MAX_SHEET_ROWS + 5, 1): 3}))
    assert f"{files.MAX_ROWS:,}".replace(",", "") in message.replace("\u202f", "").replace(" ", "")


def test_shared_strings_that_expand_past_the_limit_are_refused_before_opening():
    content = shared_strings_bomb(files.MAX_UNPACKED + 1024)
    assert len(content) < 1024 * 1024
    message, seconds = refusal(content)
    assert "décompressé" in message and seconds < 5


@pytest.mark.parametrize("bomb", [shared_strings_bomb, sheet_bomb], ids=["strings", "sheet"])
def test_a_member_that_expands_a_hundredfold_is_refused_even_under_the_total(bomb):
    content = bomb(8 * 1024 * 1024)
    message, _ = refusal(content)
    assert "décompressé" in message


def test_an_archive_of_thousands_of_members_is_refused():
    out = io.BytesIO(workbook())
    with zipfile.ZipFile(out, "a") as archive:
        for number in range(files.MAX_MEMBERS):
            archive.writestr(f"junk/{number}.xml", b"")
    message, _ = refusal(out.getvalue())
    assert "décompressé" in message


def test_a_member_larger_than_its_directory_says_is_unreadable_not_inflated():
    # The directory says 60 bytes; the stream inflates to 8 MB. zipfile stops at
    # the declared size and fails the CRC check: nothing past 60 bytes is read.
    honest = sheet_bomb(8 * 1024 * 1024)
    archive = zipfile.ZipFile(io.BytesIO(honest))
    member = archive.getinfo("xl/worksheets/sheet1.xml")
    lying = bytearray(honest)
    size = member.file_size.to_bytes(4, "little")
    for offset in range(len(lying) - 4):
        if lying[offset : offset + 4] == size:
            lying[offset : offset + 4] = (60).to_bytes(4, "little")
    message, seconds = refusal(bytes(lying))
    assert "ne peut pas être lu" in message and seconds < 5


def test_reading_stops_when_it_takes_too_long():
    with pytest.raises(ValidationError) as caught:
        files.read_table(workbook(), "f.xlsx", seconds=-1)
    assert "secondes" in describe(caught.value, "fr")


def test_an_exported_workbook_with_empty_columns_keeps_its_width():
    table = files.read_table(workbook({(1, 10): None, (2, 5): None}), "f.xlsx")
    assert table.header == HEADER and table.rows == [ROW]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_csv_field_over_the_reader_limit_is_a_message_not_a_traceback(db, lang):
    content = b"proposal;title;status\n3;" + b"x" * (files.MAX_FIELD + 1) + b";engagee\n"
    report = importer.import_contributions(
        db, actor_of(db, "contributor_lille"), content, "f.csv", lang=lang
    )
    assert not report.ok and not report.written
    [problem] = report.problems
    assert "131" in problem.message and "2" in problem.message


@pytest.fixture
def held_write_lock(demo_sqlite_url):
    """Another connection holds SQLite's write lock for the whole test."""
    holder = sqlite3.connect(make_url(demo_sqlite_url).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield demo_sqlite_url
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: workbook({(1_048_576, 16_384): "x"}), id="dimension-bomb"),
        pytest.param(lambda: shared_strings_bomb(files.MAX_UNPACKED + 1), id="strings-bomb"),
        pytest.param(lambda: workbook({(2, 2): ""}), id="schema-problem"),
    ],
)
def test_a_refused_file_is_answered_without_waiting_for_the_write_lock(held_write_lock, content):
    engine = make_engine(held_write_lock)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with reading(engine) as session:
        lille = actor_of(session, "contributor_lille")
    statements.clear()
    started = time.monotonic()
    report = importer.import_contributions(engine, lille, content(), "f.xlsx")
    assert not report.ok and not report.written
    assert time.monotonic() - started < 5
    assert not [s for s in statements if "IMMEDIATE" in s.upper()]
    engine.dispose()


def test_the_field_limit_holds_even_when_a_library_raised_the_csv_module_limit():
    """`csv.field_size_limit` is process-wide; the importer keeps its own."""
    import csv
    import sys

    before = csv.field_size_limit(sys.maxsize)
    try:
        with pytest.raises(ValidationError) as refused:
            files._read_csv(b"a;b\n1;" + b"x" * (files.MAX_FIELD + 1) + b"\n")
        assert refused.value.key == "import.field_too_long"
    finally:
        csv.field_size_limit(before)
