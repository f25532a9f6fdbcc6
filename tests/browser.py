"""A real app server on a free port and Debian's headless Chromium, for the
tests where a person would click."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(
    database_url: str,
    *,
    demo: bool = True,
    timeout: float = 60,
    settings: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port; yield its base URL.
    `settings`: more environment variables for the server (TRACKER_IDLE_MINUTES…)."""
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_DEMO": "1" if demo else "0",
        "PYTHONPATH": str(ROOT / "src"),
        **(settings or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"the app did not start:\n{output}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for_page(page, timeout: float = 45_000) -> None:
    """Until the script has run: a heading is there and the status widget gone."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )
    page.wait_for_timeout(300)


# Signed-in journeys ---------------------------------------------------------------

DEMO_PASSWORD = "demo-demo-demo"  # the demonstration accounts' (README)
ARTIFACTS = ROOT / "test-artifacts"


def keep_evidence(tab, node, suffix: str = "") -> None:
    """After a failed test: what the browser showed (full-page screenshot) and
    its console errors, in test-artifacts/, named after the test."""
    report = getattr(node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in node.name)[:120] + suffix
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(getattr(tab, "console_errors", [])))


def watch(tab):
    """Record the tab's dialogs and console errors (a script that runs where it
    should not usually opens one or the other)."""
    tab.dialogs = []
    tab.console_errors = []

    def on_dialog(dialog) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on(
        "console",
        lambda message: (
            tab.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    return tab


def sign_in(page, base: str, email: str, password: str = DEMO_PASSWORD, lang: str = "fr") -> None:
    """Fill the sign-in form and send it (the caller waits for what it expects)."""
    from tracker.i18n import t

    page.goto(f"{base}/connexion?lang={lang}")
    wait_for_page(page)
    page.get_by_label(t("auth.email", lang)).fill(email)
    page.get_by_label(t("auth.password", lang), exact=True).fill(password)
    page.get_by_role("button", name=t("auth.submit", lang)).click()


def signed_in(page, base: str, email: str, lang: str = "fr") -> None:
    """Sign in and wait for the welcome of the sign-in page (the session is open)."""
    from tracker.i18n import t

    sign_in(page, base, email, lang=lang)
    welcome = t("auth.welcome", lang, role="").split("(")[0].strip()
    page.wait_for_selector(f"[data-testid='stMain'] :text('{welcome}')", timeout=45_000)
    wait_for_page(page)


def go(page, label: str, heading: str) -> None:
    """Follow a sidebar link, as a person does (the Streamlit session stays)."""
    page.locator("[data-testid='stSidebarNav'] a", has_text=label).first.click()
    page.wait_for_selector(f"[data-testid='stMain'] h1:has-text(\"{heading}\")", timeout=45_000)
    wait_for_page(page)


def settled(page, timeout: float = 45_000) -> None:
    """Until the script run a click started is over and the page redrawn."""
    page.wait_for_timeout(200)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout
    )
    page.wait_for_timeout(200)


# What a script that ran, or an element that was injected, would leave behind.
INJECTED = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  return {
    pwned: typeof window.__pwned !== 'undefined',
    scripts: main.querySelectorAll('script').length,
    images: main.querySelectorAll('img').length,
    frames: document.querySelectorAll('iframe, object, embed').length,
    jsLinks: document.querySelectorAll('a[href^="javascript:" i], a[href^="data:" i]').length,
    handlers: [...document.querySelectorAll('*')].filter(
      (e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    headings: main.querySelectorAll('h1').length,
  };
}"""
CLEAN = {"pwned": False, "scripts": 0, "images": 0, "frames": 0, "jsLinks": 0, "handlers": 0}


def assert_nothing_ran_or_was_injected(page) -> None:
    found = page.evaluate(INJECTED)
    assert found.pop("headings") == 1
    assert found == CLEAN
    assert page.dialogs == []
    assert not [m for m in page.console_errors if "pwned" in m or "xss" in m]
    assert page.locator("[data-testid='stException']").count() == 0
