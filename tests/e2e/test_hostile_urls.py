"""Hostile URL parameters in a real browser: a clear message in the page's
language, no traceback, no script run (no dialog, no console trace of one, no
global set) and no element injected (no image, frame, link to `javascript:`,
event-handler attribute or script in the page's content).

The full list of cases runs against the services in tests/test_hostile_input.py;
here, one of each family.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import assert_nothing_ran_or_was_injected, wait_for_page
from tests.hostile import HOSTILE
from tracker.i18n import t

BROWSER_CASES = ["script", "img-onerror", "md-js-link", "md-image", "null-byte", "rtl-override"]


@pytest.mark.parametrize("name", BROWSER_CASES)
def test_a_hostile_parameter_gets_a_message_and_runs_nothing(page, app_url, name):
    text = quote(HOSTILE[name], safe="")
    page.goto(f"{app_url}/proposition?n={text}&lang=fr")
    wait_for_page(page)
    message = page.locator("[data-testid='stAlert']", has_text="n’est pas un numéro")
    assert message.count() == 1
    assert_nothing_ran_or_was_injected(page)

    page.goto(f"{app_url}/propositions?theme={text}&status={text}&q={text}&lang=en")
    wait_for_page(page)
    assert page.locator("[data-testid='stAlert']", has_text="There is no theme").count() == 1
    assert page.locator("[data-testid='stAlert']", has_text="There is no status").count() == 1
    assert_nothing_ran_or_was_injected(page)
    search = page.get_by_role("textbox", name=t("filter.search", "en"), exact=True)
    assert len(search.input_value()) <= 200
