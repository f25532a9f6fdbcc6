"""Hostile input through the contribution form and the importer, in a real
browser, signed in as Lille's contributor. For each case: a clear message in
the page's language, no traceback, nothing partly saved (the database is read
before and after), no script run (dialog and console hooks) and no element
injected into the page.

Text that is only text (HTML, Markdown, formulas, SQL) is kept as typed and
shown as text; invisible characters are dropped; what cannot be right (a
`javascript:` link, a formula for a budget, a title of nothing but invisible
characters, a file that is not what it says) is refused with its message.
The full lists of cases run against the services in tests/test_hostile_input.py
and tests/test_validators_properties.py; here, a representative subset.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, text

from tests.browser import (
    assert_nothing_ran_or_was_injected,
    go,
    keep_evidence,
    settled,
    signed_in,
    watch,
)
from tests.hostile import HOSTILE
from tracker.contributions import importer
from tracker.domain.text import plain_line, plain_text
from tracker.i18n import t

FIELDS = {  # form field → its label's key
    "title": "contrib.field.title",
    "description": "contrib.field.description",
    "progress": "contrib.field.progress",
    "partner_authority": "contrib.field.partner_authority",
    "evidence_links": "contrib.field.evidence_links",
    "budget_eur": "contrib.field.budget_eur",
    "contact": "contrib.field.contact",
}
ORDINARY = {
    "title": "Action ordinaire",
    "description": "",
    "progress": "40",
    "partner_authority": "",
    "evidence_links": "",
    "budget_eur": "",
    "contact": "",
}


@dataclass(frozen=True)
class Case:
    name: str
    field: str
    value: str
    refused_with: str | None = None  # the message key, when the value is refused
    lang: str = "fr"

    @property
    def kept(self) -> str:
        """What is stored when the value is accepted: the text, less invisible
        characters (and new lines, in a one-line field)."""
        clean = plain_text if self.field == "description" else plain_line
        return clean(self.value)


FORM_CASES = [
    Case("script-in-title", "title", HOSTILE["script"]),
    Case("img-onerror-in-title", "title", HOSTILE["img-onerror"]),
    Case("javascript-markdown-link-in-description", "description", HOSTILE["md-js-link"]),
    Case("markdown-image-in-description", "description", HOSTILE["md-image"]),
    Case("iframe-in-partner", "partner_authority", HOSTILE["iframe"]),
    Case("formula-in-title", "title", HOSTILE["formula-eq"]),
    Case("rtl-override-in-title", "title", "Atelier \u202egnp.exe\u202c"),
    Case("null-byte-in-title", "title", HOSTILE["null-byte"]),
    Case("control-characters-in-description", "description", HOSTILE["control-chars"]),
    Case("sql-in-contact", "contact", HOSTILE["sql-drop"]),
    Case("overlong-title", "title", "x" * 5000, "contrib.too_long"),
    Case("overlong-description", "description", "é" * 6000, "contrib.too_long"),
    Case("only-invisible-characters-as-title", "title", "\u202e\u200b\u2066", "contrib.required"),
    Case(
        "javascript-link-as-evidence", "evidence_links", "javascript:alert(1)", "contrib.bad_link"
    ),
    Case("data-link-as-evidence", "evidence_links", HOSTILE["md-data-link"], "contrib.bad_link"),
    Case("formula-as-budget", "budget_eur", HOSTILE["formula-plus"], "contrib.bad_budget"),
    Case("script-in-title-en", "title", HOSTILE["svg-onload"], lang="en"),
    Case("javascript-link-en", "evidence_links", "javascript:alert(1)", "contrib.bad_link", "en"),
]


def fragment(key: str, lang: str) -> str:
    """The longest fixed part of a message (between its placeholders)."""
    return max(re.split(r"\{[^}]+\}", t(key, lang)), key=len).strip(" .:«»")


def count(url: str, sql: str = "SELECT count(*) FROM contributions") -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def newest_contribution(url: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT * FROM contributions ORDER BY id DESC LIMIT 1")
            ).mappings()
            return dict(row.one())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def lille(browser, writable_app):
    """Lille's contributor, signed in once for the whole module, on the
    contributions page; `lille.lang` is the language the page is in."""
    base, _ = writable_app
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = watch(context.new_page())
    signed_in(tab, base, "lille@demo.invalid")
    go(tab, t("nav.contributions", "fr"), t("contrib.title", "fr"))
    tab.lang = "fr"
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def evidence(lille, request):
    yield
    keep_evidence(lille, request.node)


def in_language(page, lang: str) -> None:
    if page.lang != lang:
        page.get_by_role("radio", name={"fr": "Français", "en": "English"}[lang]).click()
        page.wait_for_selector(
            f"[data-testid='stMain'] h1:has-text(\"{t('contrib.title', lang)}\")", timeout=45_000
        )
        settled(page)
        page.lang = lang


def open_tab(page, key: str) -> None:
    """Show a tab of the page. A run that ends after the click (the rerun after
    a save) shows the first tab again: click until the tab stays shown once
    every run the page asked for has ended (`settled`: none is left to come)."""
    tab = page.get_by_role("tab", name=t(key, page.lang))
    for _ in range(4):
        settled(page)
        if tab.get_attribute("aria-selected") == "true":
            return
        tab.click()
    raise AssertionError(f"the tab « {t(key, page.lang)} » does not stay shown")


def visible(page, label: str):
    return page.get_by_label(label, exact=True).filter(visible=True)


def paste(page, control, value: str) -> None:
    """Replace a field's text as a paste does (the browser keeps what fits in
    the field's maximum length, as it would for a person)."""
    control.fill("")
    control.focus()
    if value:
        page.keyboard.insert_text(value)


def alerts(page) -> str:
    return "\n".join(page.locator("[data-testid='stAlert']").filter(visible=True).all_inner_texts())


@pytest.mark.parametrize("case", FORM_CASES, ids=[c.name for c in FORM_CASES])
def test_hostile_text_in_the_contribution_form(lille, writable_app, case):
    _, url = writable_app
    in_language(lille, case.lang)
    open_tab(lille, "contrib.tab_new")
    before = count(url)
    proposal = t("contrib.field.proposal", case.lang)  # none is pre-selected
    lille.get_by_role("combobox", name=proposal).filter(visible=True).first.click()
    lille.keyboard.type("12. ")  # not a proposal of the files below (no probable duplicate)
    lille.keyboard.press("Enter")
    settled(lille)
    for name, key in FIELDS.items():
        paste(
            lille,
            visible(lille, t(key, case.lang)),
            case.value if name == case.field else ORDINARY[name],
        )
    lille.get_by_role("button", name=re.compile(rf"{t('contrib.save', case.lang)}$")).filter(
        visible=True
    ).click()
    settled(lille)

    if case.refused_with:
        lille.locator(
            "[data-testid='stAlert']", has_text=fragment(case.refused_with, case.lang)
        ).filter(visible=True).first.wait_for(timeout=30_000)
        assert count(url) == before  # nothing saved
    else:
        created = fragment("contrib.created", case.lang)
        lille.locator("[data-testid='stAlert']", has_text=created).filter(
            visible=True
        ).first.wait_for(timeout=30_000)
        assert count(url) == before + 1
        stored = newest_contribution(url)
        assert stored[case.field] == case.kept
        assert not [c for c in stored[case.field] if c in "\x00\u202e\u202c\u200b\x1b"]
    assert count(url, "SELECT count(*) FROM proposals") == 20
    assert_nothing_ran_or_was_injected(lille)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["proposal", "title", "status", "progress", "evidence_links"]


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    lines = [";".join(str(c) for c in row) for row in [HEADER, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# No « ; » nor « " » in these cells: they are the file's own separators and quotes.
GOOD_ROWS = [
    [3, HOSTILE["svg-onload"], "engagee", 20, ""],
    [4, HOSTILE["formula-plus"], "engagee", 30, ""],
]


@dataclass(frozen=True)
class FileCase:
    name: str
    filename: str
    content: bytes
    message_key: str  # what the page must say
    written: int = 0  # contributions the import adds


FILE_CASES = [
    FileCase(
        "csv-in-utf-16", "contributions.csv", csv_bytes(GOOD_ROWS, "utf-16"), "import.bad_encoding"
    ),
    FileCase(
        "truncated-xlsx",
        "contributions.xlsx",
        xlsx_bytes([HEADER, *GOOD_ROWS])[:900],
        "import.unreadable",
    ),
    FileCase("text-named-xlsx", "contributions.xlsx", csv_bytes(GOOD_ROWS), "import.unreadable"),
    FileCase(
        "one-javascript-link-among-good-rows",
        "contributions.csv",
        csv_bytes([*GOOD_ROWS, [5, "Troisième", "engagee", 10, "javascript:alert(1)"]]),
        "contrib.bad_link",
    ),
    FileCase(
        "overlong-title-cell",
        "contributions.csv",
        csv_bytes([[3, "x" * 5000, "engagee", 20, ""]]),
        "import.too_long",
    ),
    FileCase(
        "hostile-text-only-imports-as-text",
        "contributions.csv",
        csv_bytes([*GOOD_ROWS, [6, "Atelier \u202egnp.exe\u202c", "engagee", 10, ""]]),
        "import.done",
        written=3,
    ),
]


def run_import(page, filename: str, content: bytes) -> None:
    open_tab(page, "contrib.tab_import")
    page.locator("[data-testid='stFileUploader'] input[type=file]").filter(
        visible=False
    ).first.set_input_files(
        {"name": filename, "mimeType": "application/octet-stream", "buffer": content}
    )
    settled(page)


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.name for c in FILE_CASES])
def test_a_hostile_file_through_the_importer(lille, writable_app, case):
    _, url = writable_app
    in_language(lille, "fr")
    before = count(url)
    run_import(lille, case.filename, case.content)
    dry_run = lille.get_by_role("checkbox", name=t("import.dry_run", "fr")).filter(visible=True)
    if dry_run.is_checked():
        lille.get_by_text(t("import.dry_run", "fr"), exact=True).click()
        settled(lille)
    assert not dry_run.is_checked()
    lille.get_by_role("button", name=t("import.run", "fr")).filter(visible=True).click()
    settled(lille)
    expected = fragment(case.message_key, "fr")
    lille.locator("[data-testid='stMain']", has_text=expected).wait_for(timeout=30_000)
    if not case.written:
        assert fragment("import.failed", "fr") in alerts(lille)
    assert count(url) == before + case.written  # all or nothing
    assert_nothing_ran_or_was_injected(lille)


def test_an_oversized_file_is_refused_before_it_is_sent(lille, writable_app):
    """Streamlit's uploader refuses a file over the 10 MB limit in the browser,
    in its own words, which the page's script puts in French
    (`tracker.ui.streamlit_texts`)."""
    _, url = writable_app
    in_language(lille, "fr")
    before = count(url)
    big = csv_bytes(GOOD_ROWS) + b"x" * (importer.MAX_BYTES + 1)
    run_import(lille, "contributions.csv", big)
    lille.get_by_text(re.compile(r"Le fichier doit faire .* Mo au plus")).wait_for(timeout=30_000)
    assert lille.get_by_text(re.compile(r"File must be .* or smaller")).count() == 0
    assert "10 Mo" in lille.locator("[data-testid='stMain']").inner_text()
    assert count(url) == before
    assert_nothing_ran_or_was_injected(lille)
