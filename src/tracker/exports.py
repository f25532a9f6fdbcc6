"""Files people open in a spreadsheet: CSV for French Excel, XLSX, JSON.

Cells that a spreadsheet would run as a formula are neutralised here, for
every export.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as French Excel opens it: UTF-8 with BOM, `;` between cells, CRLF."""
    text = _neutralised(frame).to_csv(index=False, sep=";", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], date_format: str = "DD/MM/YYYY") -> bytes:
    """A workbook, one formatted sheet per frame: bold filled header, filters on,
    first row frozen, sensible widths, dates stored as real dates."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        frame = _neutralised(frame)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="000091")
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for index, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(index)
            values = [str(column)] + [str(v) for v in frame[column].head(200) if v is not None]
            width = min(60, max(10, max(len(v) for v in values) + 2))
            sheet.column_dimensions[letter].width = width
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, date | datetime):
                    cell.number_format = date_format
                cell.alignment = Alignment(vertical="top", wrap_text=width >= 60)
        sheet.freeze_panes = "A2"
        if frame.shape[1]:
            sheet.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{len(frame) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    records = [
        {k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
    ]
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


def _json_value(value: object) -> object:
    value = _cell(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
