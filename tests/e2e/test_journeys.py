"""Journeys with several people, in a real browser, on one server whose
database they change (`writable_app`): a contribution from draft to public,
a proposal's wording corrected by an administrator, and what Lyon cannot see
of Lille's work. Each person has a browser context (cookies) of their own.

Every check of the database compares before and after, so that the tests may
share the server and run in any order.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import text

from tests.a11y import axe_available, blocking, run_axe
from tests.browser import go, settled, signed_in, wait_for_page
from tracker.contributions import actions as contributions
from tracker.contributions import queries as contribution_queries
from tracker.db.engine import make_engine, reading
from tracker.db.unit_of_work import transaction
from tracker.i18n import t

ACTIVE = """() => {
  const e = document.activeElement;
  if (!e) return '';
  return (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || e.innerText || '').trim();
}"""


def query(url: str, sql: str, **params) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def committed_value(url: str, sql: str, timeout: float = 45.0, **params):
    """The single value a query returns once the write a click started has
    committed (polled until it has, at most `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = query(url, sql, **params)
        if rows:
            [(value,)] = rows
            return value
        assert time.monotonic() < deadline, f"nothing for {sql} {params}"
        time.sleep(0.2)  # polling the database with a deadline


def public_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with reading(engine) as session:
            return len(contribution_queries.public_frame(session))
    finally:
        engine.dispose()


def state_of(url: str, contribution_id: int) -> tuple[str, str | None]:
    [(state, comment)] = query(
        url, "SELECT state, review_comment FROM contributions WHERE id = :id", id=contribution_id
    )
    return state, comment or None


def flash(page, message: str) -> None:
    """Wait for the success message a page shows after its rerun."""
    page.locator("[data-testid='stAlert']", has_text=message).first.wait_for(timeout=45_000)
    settled(page)
    assert page.locator("[data-testid='stException']").count() == 0


def show_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    settled(page)


def choose(page, label: str, typed: str) -> None:
    """Pick an option of a select box by typing part of it, as a person does."""
    page.get_by_role("combobox", name=label).filter(visible=True).first.click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    settled(page)


def tab_to(page, name: str, presses: int = 60) -> None:
    """Press Tab until the control called `name` has the focus."""
    for _ in range(presses):
        if page.evaluate(ACTIVE).split("\n")[-1].strip() == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached «{name}»")


def field(where, label: str):
    """The visible control labelled `label` (a tab shown earlier stays in the page, hidden)."""
    return where.get_by_label(label, exact=True).filter(visible=True)


def button(where, name: str):
    """The visible button called `name` (after its icon, if it has one)."""
    named = re.compile(rf"(^|\s){re.escape(name)}$")
    return where.get_by_role("button", name=named).filter(visible=True)


def shows(page, words: str, timeout: float = 30_000) -> None:
    """Wait until the page's main part holds `words` (the script may still be
    drawing the end of the page); fails with a timeout if it never does."""
    page.locator("[data-testid='stMain']", has_text=words).wait_for(timeout=timeout)


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def audit(page, name: str) -> None:
    """axe-core on the page as it stands (saved as JSON), when it is installed."""
    if axe_available():
        assert blocking(run_axe(page, name)) == []


def review_item(page, title: str):
    """The reviewer's box for the contribution called `title`."""
    return (
        page.locator("[data-testid='stVerticalBlock']")
        .filter(has_text=title)
        .filter(has=page.get_by_role("button", name=t("review.validate", "fr")))
        .last
    )


def write_a_draft_with_the_keyboard_alone(page, base: str, title: str) -> int:
    """From the contributions page's address: Tab to each field, type, and
    save with the keyboard; no mouse. Returns the new contribution's number."""
    page.goto(f"{base}/contributions?lang=fr")
    wait_for_page(page)
    tab_to(page, t("contrib.tab_mine", "fr"))
    page.keyboard.press("ArrowRight")  # to « Nouvelle contribution »
    page.keyboard.press("Enter")
    field(page, t("contrib.field.title", "fr")).wait_for(timeout=20_000)
    tab_to(page, t("contrib.field.proposal", "fr"))  # none is pre-selected
    page.keyboard.type("1. Créer")
    page.keyboard.press("Enter")
    tab_to(page, t("contrib.field.title", "fr"))
    page.keyboard.type(title)
    tab_to(page, t("contrib.field.description", "fr"))
    page.keyboard.type("Des ateliers de données ouvertes avec Saint-Louis du Sénégal.")
    tab_to(page, t("contrib.field.progress", "fr"))
    page.keyboard.type("40")
    tab_to(page, t("contrib.field.partner_country", "fr"))
    page.keyboard.type("Sénégal")
    page.keyboard.press("Enter")
    tab_to(page, t("contrib.field.evidence_links", "fr"))
    page.keyboard.type("https://exemple.org/ateliers")
    tab_to(page, t("contrib.save", "fr"))
    page.keyboard.press("Enter")
    created = t("contrib.created", "fr", id="__").split("__")[0]
    page.locator("[data-testid='stAlert']", has_text=created).first.wait_for(timeout=45_000)
    settled(page)
    shown = page.locator("[data-testid='stAlert']", has_text=created).first.inner_text()
    return int(re.search(r"n° (\d+)", shown).group(1))


def test_a_contribution_goes_from_draft_to_returned_to_validated_and_public(writable_app, tabs):
    base, url = writable_app
    title = f"Ateliers de données avec Saint-Louis {uuid.uuid4().hex[:6]}"
    public_before = public_count(url)

    lille = tabs()
    signed_in(lille, base, "lille@demo.invalid")
    number = write_a_draft_with_the_keyboard_alone(lille, base, title)
    assert query(url, "SELECT title, state FROM contributions WHERE id = :id", id=number) == [
        (title, "draft")
    ]
    audit(lille, "contributions-new-lille-fr")
    # the page stays on the form's tab after the save: the list is in the first
    show_tab(lille, t("contrib.tab_mine", "fr"))
    choose(lille, t("contrib.choose", "fr"), f"{number} — ")
    button(lille, t("contrib.submit", "fr")).click()
    flash(lille, t("contrib.submitted", "fr", id=number))
    assert state_of(url, number) == ("submitted", None)

    reviewer = tabs()
    signed_in(reviewer, base, "secretariat@demo.invalid")
    go(reviewer, t("nav.validation", "fr"), t("review.title", "fr"))
    item = review_item(reviewer, title)
    comment = "Précisez le budget et le partenaire, s’il vous plaît."
    field(item, t("review.comment", "fr")).fill(comment)
    field(item, t("review.comment", "fr")).press("Tab")
    settled(reviewer)
    audit(reviewer, "validation-queue-secretariat-fr")
    button(review_item(reviewer, title), t("review.send_back", "fr")).click()
    flash(reviewer, t("review.returned", "fr", id=number))
    assert state_of(url, number) == ("returned", comment)

    go(lille, t("nav.contributions", "fr"), t("contrib.title", "fr"))
    show_tab(lille, t("contrib.tab_mine", "fr"))
    choose(lille, t("contrib.choose", "fr"), f"{number} — ")
    assert t("contrib.reviewer_said", "fr") in main_text(lille)
    assert comment in main_text(lille)
    field(lille, t("contrib.field.budget_eur", "fr")).fill("12 500")
    field(lille, t("contrib.field.partner_authority", "fr")).fill("Ville de Saint-Louis")
    button(lille, t("contrib.save_and_submit", "fr")).click()
    flash(lille, t("contrib.saved_submitted", "fr", id=number))  # it says « soumise »
    assert state_of(url, number)[0] == "resubmitted"  # returned, then sent again

    go(reviewer, t("nav.validation", "fr"), t("review.title", "fr"))
    item = review_item(reviewer, title)
    assert comment in item.inner_text()  # the reviewer sees what was asked
    button(item, t("review.validate", "fr")).click()
    flash(reviewer, t("review.validated", "fr", id=number))
    assert state_of(url, number)[0] == "validated"
    assert public_count(url) == public_before + 1
    assert reviewer.dialogs == [] and lille.dialogs == []

    visitor = tabs()
    visitor.goto(f"{base}/proposition?n=1&lang=fr")
    wait_for_page(visitor)
    shows(visitor, title)
    assert "Ville de Saint-Louis" in main_text(visitor)
    visitor.goto(f"{base}/?lang=fr")
    wait_for_page(visitor)
    figure = t("contrib.summary_per_proposal", "fr", total=public_before + 1, proposals="")
    shows(visitor, figure.split(",")[0])
    assert "Sénégal" in main_text(visitor)  # the partner countries' sentence


def test_an_administrator_corrects_a_wording_and_the_timeline_shows_it(writable_app, tabs):
    base, url = writable_app
    [(old,)] = query(url, "SELECT title_fr FROM proposals WHERE number = 1")
    new = f"{old} (libellé corrigé {uuid.uuid4().hex[:4]})"

    admin = tabs()
    signed_in(admin, base, "admin@demo.invalid")
    go(admin, t("nav.administration", "fr"), t("admin.title", "fr"))
    admin.get_by_role("tab", name=t("admin.tab_catalogue", "fr")).click()
    wording = field(admin, t("field.title_fr", "fr"))
    wording.wait_for(timeout=20_000)
    audit(admin, "administration-catalogue-admin-fr")
    wording.fill(new)
    button(admin, t("admin.save", "fr")).click()
    flash(admin, t("admin.wording_saved", "fr", number=1))
    assert query(url, "SELECT title_fr FROM proposals WHERE number = 1") == [(new,)]

    visitor = tabs()
    visitor.goto(f"{base}/proposition?n=1&lang=fr")
    wait_for_page(visitor)
    shows(visitor, t("proposal.timeline", "fr"))
    shown = main_text(visitor)
    assert new in visitor.locator("[data-testid='stMain'] h2").first.inner_text()
    timeline = shown.split(t("proposal.timeline", "fr"), 1)[1]
    first_entry = timeline.split("\n\n")[0:6]
    assert t("field.title_fr", "fr") in timeline
    assert any(new in part for part in first_entry), timeline[:600]


@pytest.fixture
def lille_draft(writable_app):
    """A draft of Lille's, written through the service as Lille would."""
    _, url = writable_app
    from sqlalchemy import select

    from tracker.accounts.queries import actor_for
    from tracker.db.models import Account

    title = f"Brouillon confidentiel de Lille {uuid.uuid4().hex[:6]}"
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            account = session.scalar(select(Account).where(Account.email == "lille@demo.invalid"))
            draft = contributions.create(
                session,
                actor_for(account),
                {"proposal": 6, "title": title, "status": "engagee", "progress": 10},
            )
            number = draft.id
    finally:
        engine.dispose()
    return number, title


def test_lyon_cannot_reach_lilles_drafts_by_any_link_or_parameter(writable_app, tabs, lille_draft):
    base, _ = writable_app
    number, title = lille_draft
    lyon = tabs()
    signed_in(lyon, base, "lyon@demo.invalid")
    go(lyon, t("nav.contributions", "fr"), t("contrib.title", "fr"))
    lyon.get_by_role("combobox", name=t("contrib.choose", "fr")).click()
    options = lyon.get_by_role("option").all_inner_texts()
    lyon.keyboard.press("Escape")
    assert options and not [o for o in options if o.startswith(f"{number} —")]
    assert not [o for o in options if "Saint-Louis" in o or "Lille" in o]

    for path in (
        f"/contributions?id={number}&contribution={number}&contrib_chosen={number}"
        "&organisation=mel&lang=fr",
        f"/contributions?lang=en&id={number}",
        f"/validation?id={number}&contribution={number}",
        f"/administration?id={number}",
        f"/proposition?n=6&contribution={number}&state=draft",
        f"/propositions?q={title.split()[0]}&organisation=mel",
    ):
        lyon.goto(f"{base}{path}")
        wait_for_page(lyon)
        assert title not in lyon.content(), path
        assert lyon.locator("[data-testid='stException']").count() == 0, path

    # The API answers the same to Lyon's browser (its cookie goes along) as to anyone.
    for path in (
        "/api/v1/contributions",
        "/api/v1/contributions.csv",
        "/api/v1/contributions?organisation=mel&state=draft",
        f"/api/v1/contributions/{number}",
        "/api/v1/proposals/6",
        "/api/v1/history",
        "/api/v1/history.csv",
    ):
        answer = lyon.request.get(f"{base}{path}")
        assert answer.status in (200, 400, 404), path
        assert title not in answer.text(), path
    assert lyon.dialogs == []
