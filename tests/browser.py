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
    """A free port; within `TRACKER_TEST_PORTS` ("8630-8639") when it is set
    (several people testing on one machine keep to their own ports)."""
    wanted = os.environ.get("TRACKER_TEST_PORTS", "").strip()
    candidates = [0]
    if wanted:
        first, _, last = wanted.partition("-")
        candidates = list(range(int(first), int(last or first) + 1))
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in {wanted}")


# The process of each server `running_app` started, by base URL: a test that
# takes a server down (tests/e2e/test_failover.py) kills it as a crash would.
SERVERS: dict[str, subprocess.Popen] = {}


@contextmanager
def running_app(
    database_url: str,
    *,
    demo: bool = True,
    timeout: float = 60,
    settings: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """Start `streamlit run app.py` on `port` (by default `TRACKER_TEST_APP_PORT`,
    for someone who must keep to given ports on a shared machine, else a free
    one); yield its base URL. `settings`: more environment variables for the
    server (TRACKER_IDLE_MINUTES…)."""
    port = port or int(os.environ.get("TRACKER_TEST_APP_PORT", "0") or 0) or free_port()
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
    SERVERS[base] = process
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
            time.sleep(0.3)  # a polling loop with a deadline: until the server answers
        yield base
    finally:
        SERVERS.pop(base, None)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _field_number(message, name: str) -> int:
    return message.DESCRIPTOR.fields_by_name[name].number


def _run_tracker() -> str:
    """The script that counts a tab's script runs (see `track_runs`), with the
    field numbers of this Streamlit's protocol."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    numbers = {
        "RERUN": _field_number(BackMsg, "rerun_script"),
        "NEW_SESSION": _field_number(ForwardMsg, "new_session"),
        "FINISHED": _field_number(ForwardMsg, "script_finished"),
        "EARLY": ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN"),
    }
    script = RUN_TRACKER
    for name, number in numbers.items():
        script = script.replace(f"__{name}__", str(number))
    return script


# Every message between the page and the server is one protobuf (BackMsg up,
# ForwardMsg down) whose top-level field says what it is: read those fields
# only (a varint key, field number << 3 | wire type) and count
# - `asked`: runs the page asked for (rerun_script: a click, a changed field, a
#   link, the first load), counted in the same event as the click itself;
# - `covered`: the requests sent before the server's latest run started
#   (new_session), `done`: those covered by the latest run that finished
#   (script_finished; a run stopped to run again is not finished: another follows).
RUN_TRACKER = """(() => {
  const RERUN = __RERUN__, NEW_SESSION = __NEW_SESSION__, FINISHED = __FINISHED__;
  const EARLY = __EARLY__;
  const runs = { asked: 0, covered: 0, done: 0, finished: 0, running: false };
  window.__trackerRuns = runs;
  const topFields = (bytes) => {
    const found = [];
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do {
        byte = bytes[i++];
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key % 8;
      if (wire === 0) found.push([field, varint()]);
      else if (wire === 2) { const length = varint(); found.push([field, null]); i += length; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else break;
    }
    return found;
  };
  const asBytes = (data) =>
    data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : null;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const bytes = asBytes(event.data);
        if (!bytes) return;
        for (const [field, value] of topFields(bytes)) {
          if (field === NEW_SESSION) {
            runs.running = true;
            runs.covered = runs.asked;
          } else if (field === FINISHED && value !== EARLY) {
            runs.running = false;
            runs.done = runs.covered;
            runs.finished += 1;
          }
        }
      });
    }
    send(data) {
      const bytes = asBytes(data);
      if (bytes && topFields(bytes).some(([field]) => field === RERUN)) runs.asked += 1;
      return super.send(data);
    }
  };
})()"""

# The run has ended when every run the page asked for has finished (the tab's
# tracker, when it has one) and the page shows it: Streamlit's own state is
# « not running », its status widget (« Running… », « Stop ») is gone and no
# element of the previous run is left faded (stale).
RUN_ENDED = """() => {
  const runs = window.__trackerRuns;
  if (runs && (runs.running || runs.finished === 0 || runs.done < runs.asked)) return false;
  const app = document.querySelector("[data-testid='stApp']");
  return app !== null
    && app.getAttribute("data-test-script-state") === "notRunning"
    && !document.querySelector("[data-testid='stStatusWidget']")
    && !document.querySelector("[data-stale='true']");
}"""


def track_runs(tab):
    """Count the tab's script runs from now on (before its first page load)."""
    tab.add_init_script(_run_tracker())
    return tab


def run_ended(page, timeout: float = 45_000) -> None:
    """Until no script run is under way or still to come for what was done in
    the page (the one wait for a run of every helper here)."""
    page.wait_for_function(RUN_ENDED, timeout=timeout)


def wait_for_page(page, timeout: float = 45_000) -> None:
    """Until the script has run: a heading is there and the run has ended."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)
    run_ended(page, timeout)


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
    track_runs(tab)

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
    run_ended(page, timeout)


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
