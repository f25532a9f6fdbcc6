"""The working group's session cycle in a real browser: the secretariat plans
a session, sees the agenda proposed from the data, holds it, updates five
proposals in one save of the grid, records two decisions and publishes the
minutes; a visitor reads them on /seances; the next session's agenda lists
the open decisions.

The grid is Streamlit's data editor (a canvas): a cell is reached as a person
with a keyboard reaches it — click the row's first cell, arrow to the column,
Enter to edit, type, Enter to commit.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import go, settled, signed_in, wait_for_page
from tests.e2e.test_journeys import button, committed_value, field, flash, main_text, query, shows
from tracker.i18n import t

LANG = "fr"
PROGRESS_COLUMN = 3  # n°, proposal, status, progress
HEADER = 36
ROW = 35


def _grid(page):
    """The grid of the session's updates (the second editor of the page)."""
    grid = page.locator("[data-testid='stDataFrame']").nth(1)
    grid.wait_for()
    return grid


def _set_progress(page, row: int, value: int, pending: int) -> None:
    """Edit one cell as a person does; a click that lands while the page is
    still redrawing after the previous edit selects nothing, so the person
    (and the test) tries again, at most four times. On a loaded machine the
    rerun an edit starts can take long: the pending count is waited for up
    to 45 s (setting the same value again is harmless)."""
    editor = page.locator("input.gdg-input:focus, textarea.gdg-input:focus")
    counted = page.locator(
        "[data-testid='stMain']", has_text=t("grid.pending", LANG, count=pending)
    )
    for _attempt in range(4):
        settled(page)
        grid = _grid(page)
        grid.evaluate("e => e.scrollIntoView({block: 'center'})")
        grid.locator(".dvn-scroller").click(position={"x": 20, "y": HEADER + ROW * row + ROW // 2})
        for _ in range(PROGRESS_COLUMN):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            # The cell's own editor has the focus (select-all before would select the page).
            editor.wait_for(timeout=10_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        page.keyboard.press("Control+A")
        page.keyboard.type(str(value))
        page.keyboard.press("Enter")
        try:
            counted.wait_for(timeout=45_000)
        except PlaywrightTimeout:
            continue
        settled(page)
        return
    raise AssertionError(f"row {row} never took {value}")


def _progress_by_row(page) -> list[tuple[int, int]]:
    """(number, progress) of the grid's first five rows, as the page holds them."""
    grid = _grid(page)
    grid.locator("td[id='glide-cell-0-4']").wait_for(state="attached")
    return [
        (
            int(grid.locator(f"td[id='glide-cell-0-{row}']").text_content()),
            int(grid.locator(f"td[id='glide-cell-{PROGRESS_COLUMN}-{row}']").text_content()),
        )
        for row in range(5)
    ]


def _agenda_json(page) -> dict:
    """The agenda as its JSON download holds it."""
    with page.expect_download() as download:
        button(page, t("session.download_agenda_json", LANG)).click()
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))


def _open(page, label: str) -> None:
    page.get_by_role("link", name=label).click()
    page.wait_for_selector(f"[data-testid='stMain'] h1:has-text(\"{label}\")")
    wait_for_page(page)


def test_a_session_from_agenda_to_published_minutes(writable_app, tabs):
    base, url = writable_app
    label = f"Séance de suivi {uuid.uuid4().hex[:6]}"
    secretariat = tabs()
    signed_in(secretariat, base, "secretariat@demo.invalid")
    go(secretariat, t("sessions.nav", LANG), t("sessions.title", LANG))

    # Plan it for today (the form's default date).
    field(secretariat, t("session.label", LANG)).fill(label)
    button(secretariat, t("sessions.plan", LANG)).click()
    session_id = committed_value(url, "SELECT id FROM review_sessions WHERE label = :l", l=label)
    flash(secretariat, t("sessions.planned", LANG, id=session_id))
    _open(secretariat, label)

    # The agenda is proposed from the data, each item with why it is there.
    agenda_text = _grid_text(secretariat, 0)
    assert t("agenda.reason_stalled", LANG) in agenda_text

    # Hold it; the grid of updates appears.
    button(secretariat, t("session.hold", LANG)).click()
    flash(secretariat, t("session.held", LANG))
    before = _progress_by_row(secretariat)
    wanted = {n: p + 7 if p <= 90 else p - 7 for n, p in before}
    for row, (number, _) in enumerate(before):
        _set_progress(secretariat, row, wanted[number], pending=row + 1)
    button(secretariat, t("grid.save", LANG)).click()
    flash(secretariat, t("grid.saved", LANG, proposals=5, fields=10))
    stored = dict(
        query(
            url,
            "SELECT number, progress FROM proposals WHERE number IN :n".replace(
                ":n", "(" + ",".join(str(n) for n in wanted) + ")"
            ),
        )
    )
    assert stored == wanted
    [(linked,)] = query(
        url, "SELECT count(*) FROM proposal_changes WHERE review_session_id = :s", s=session_id
    )
    assert linked == 10  # progress and the date of assessment, for each of the five

    # Two decisions.
    decisions = [f"Relancer les pilotes {label}", f"Présenter le bilan {label}"]
    for text in decisions:
        field(secretariat, t("decision.text_fr", LANG)).fill(text)
        button(secretariat, t("decisions.record", LANG)).click()
        decision_id = committed_value(url, "SELECT id FROM decisions WHERE text_fr = :t", t=text)
        flash(secretariat, t("decisions.recorded", LANG, id=decision_id))

    # Publish the minutes.
    field(secretariat, t("minutes.attendance", LANG)).last.fill("Secrétariat de la CNCD, MEAE")
    button(secretariat, t("minutes.publish", LANG)).click()
    flash(secretariat, t("minutes.published", LANG))
    [(state,)] = query(url, "SELECT state FROM review_sessions WHERE id = :s", s=session_id)
    assert state == "published"

    # A visitor, signed out, reads them.
    visitor = tabs()
    visitor.goto(f"{base}/seances?lang={LANG}")
    wait_for_page(visitor)
    _open(visitor, label)
    shows(visitor, t("minutes.heading", LANG))
    assert "Secrétariat de la CNCD, MEAE" in main_text(visitor)
    assert t("grid.heading", LANG) not in main_text(visitor)

    # The next session's agenda lists the open decisions.
    next_label = f"Séance suivante {label[-6:]}"
    go(secretariat, t("sessions.nav", LANG), t("sessions.title", LANG))
    # The date is typed in its day, month and year segments, as a person types it.
    day = field(secretariat, t("session.date", LANG))
    day.get_by_role("spinbutton").first.click()
    secretariat.keyboard.type((date.today() + timedelta(days=14)).strftime("%d%m%Y"))
    secretariat.keyboard.press("Tab")
    field(secretariat, t("session.label", LANG)).fill(next_label)
    button(secretariat, t("sessions.plan", LANG)).click()
    next_id = committed_value(url, "SELECT id FROM review_sessions WHERE label = :l", l=next_label)
    flash(secretariat, t("sessions.planned", LANG, id=next_id))
    [(held_on,)] = query(url, "SELECT held_on FROM review_sessions WHERE id = :s", s=next_id)
    assert str(held_on) == (date.today() + timedelta(days=14)).isoformat()
    _open(secretariat, next_label)
    agenda = _agenda_json(secretariat)
    listed = json.dumps(agenda["items"], ensure_ascii=False)
    for text in decisions:
        assert text in listed


def _grid_text(page, index: int) -> str:
    """What an editor holds, read from the table it keeps for screen readers."""
    grid = page.locator("[data-testid='stDataFrame']").nth(index)
    canvas = grid.locator("canvas[data-testid='data-grid-canvas']")
    # The editor fills that table once it has drawn its first rows.
    canvas.locator("td").first.wait_for(state="attached")
    return canvas.evaluate("e => e.textContent")
