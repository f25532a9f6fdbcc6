"""The same load against differently configured servers, side by side.

    python bench/serving.py [--sessions 20] [--runs 10] [--ramp 10,20,50,100]
                            [--port 8610] [--browser-database URL]

Each target is a real `streamlit run app.py` (or a bare script) started with
its own command-line settings; the load is `sessions` websocket clients at
once, each opening the dashboard then re-running it `runs` times over
Streamlit's own protocol, as a browser does. On the demonstration data in
SQLite: the framework's floor (bench/app_bare.py), the app under Streamlit's
defaults and the app as served. On one PostgreSQL schema: one server as
served (then the ramp of sessions against it), and two servers behind
Debian's nginx with TLS (deploy/cluster.py), each load client a new browser
with no route cookie. In Chromium, on a sized database: the time until every
chart of the dashboard and of the note page is drawn, on a second visit.
Not a test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

RUN_TIMEOUT = 120  # seconds for one page run: longer is an error, not a wait
START_TIMEOUT = 120  # seconds for a server to answer its health check
DRAW_TIMEOUT = 120_000  # milliseconds for a page's charts to be drawn in Chromium
POSTGRES = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CAPACITY_P95 = 2.0  # seconds: past this p95, one server has reached its capacity

# What Streamlit does when nothing is configured: the settings that
# .streamlit/config.toml turns off for serving, put back on the command line.
STREAMLIT_DEFAULTS = [
    "--runner.postScriptGC",
    "true",
    "--server.fileWatcherType",
    "auto",
]
AS_SERVED: list[str] = []  # .streamlit/config.toml as it is


@contextmanager
def server(
    port: int, flags: list[str], env: dict[str, str], script: Path = ROOT / "app.py"
) -> Iterator[tuple[str, int]]:
    """`streamlit run` on 127.0.0.1:`port` with `flags`; yields (base URL, pid)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            *flags,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server on port {port} did not start")
            time.sleep(0.3)  # polling with a deadline, until the server answers
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


async def dashboard_session(
    base: str,
    runs: int,
    latencies: list[float],
    elements: Counter | None = None,
    context: ssl.SSLContext | None = None,
    page: str = "",
    in_view: Counter | None = None,
) -> int:
    """One session: the dashboard (or `page`), then `runs` re-runs of it (each
    page run's time appended to `latencies`, the element kinds of the first
    run counted in `elements`); returns the bytes the server sent. Through
    https with `context`: a new browser each time (no cookie), so nginx gives
    it a route of its own."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    received = 0
    folded: set[tuple[int, ...]] = set()  # the delta paths of expanders
    async with connect(
        re.sub(r"^http", "ws", base) + "/_stcore/stream",
        max_size=None,
        ping_interval=None,
        ssl=context,
        additional_headers={"Origin": base},
    ) as ws:
        for i in range(runs + 1):
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = page
            started = time.perf_counter()
            await ws.send(msg.SerializeToString())
            while True:
                raw = await asyncio.wait_for(ws.recv(), RUN_TIMEOUT)
                received += len(raw)
                forward = ForwardMsg()
                forward.ParseFromString(raw)
                kind = forward.WhichOneof("type")
                if kind == "script_finished":
                    break
                if kind != "delta":
                    continue
                path = tuple(forward.metadata.delta_path)
                block = forward.delta.add_block
                if (
                    forward.delta.WhichOneof("type") == "add_block"
                    and block.WhichOneof("type") == "expandable"
                    and not block.expandable.expanded
                ):
                    folded.add(path)
                if forward.delta.WhichOneof("type") == "new_element":
                    element = forward.delta.new_element.WhichOneof("type")
                    if element == "exception":
                        raise RuntimeError(forward.delta.new_element.exception.message)
                    if elements is not None and i == 0:
                        elements[element] += 1
                        if in_view is not None and not any(
                            path[:n] in folded for n in range(1, len(path))
                        ):
                            in_view[element] += 1  # not in a folded expander
            if i:  # the first run opens the session; the re-runs are measured
                latencies.append(time.perf_counter() - started)
    return received


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(
    base: str,
    sessions: int,
    runs: int,
    context: ssl.SSLContext | None = None,
    warm: tuple[str, ...] = (),
) -> dict[str, float]:
    """`sessions` sessions at once: page runs per second, p50, p95, errors,
    bytes sent per page run, elements and charts per page run. Behind a
    proxy, `warm` names each server, whose caches are warmed first."""
    latencies: list[float] = []
    elements: Counter = Counter()

    async def main() -> list[object]:
        return await asyncio.gather(
            *[dashboard_session(base, runs, latencies, context=context) for _ in range(sessions)],
            return_exceptions=True,
        )

    # Caches warm before measuring (and the elements of one page run counted).
    asyncio.run(dashboard_session(base, 1, [], elements, context))
    for each in warm:
        asyncio.run(dashboard_session(each, 1, []))
    started = time.perf_counter()
    results = asyncio.run(main())
    wall = time.perf_counter() - started
    errors = [r for r in results if isinstance(r, BaseException)]
    sent = [r for r in results if isinstance(r, int)]
    latencies.sort()
    row: dict[str, object] = {
        "runs_per_s": len(latencies) / wall if wall else float("nan"),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "errors": len(errors),
        "kib_per_run": sum(sent) / 1024 / (len(sent) * (runs + 1)) if sent else float("nan"),
        "elements": sum(elements.values()),
        "charts": elements.get("plotly_chart", 0),
    }
    if errors:
        row["error"] = f"{type(errors[0]).__name__}: {errors[0]}"[:120]
    return row


LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_TIMEOUT = 300  # seconds for one Lighthouse run


def lighthouse(base: str, out: Path) -> dict[str, float]:
    """Lighthouse (bench/package.json), desktop, no throttling, on the
    dashboard: performance, accessibility and best-practices scores, bytes
    transferred, layout shift, blocking time, time to interactive."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            base + "/",
            "--preset=desktop",
            "--throttling-method=provided",
            "--only-categories=performance,accessibility,best-practices",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        check=True,
        timeout=LIGHTHOUSE_TIMEOUT,
        capture_output=True,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    audits, categories = report["audits"], report["categories"]
    return {
        "lh_performance": categories["performance"]["score"],
        "lh_accessibility": categories["accessibility"]["score"],
        "lh_best_practices": categories["best-practices"]["score"],
        "lh_mb": audits["total-byte-weight"]["numericValue"] / 1e6,
        "lh_cls": audits["cumulative-layout-shift"]["numericValue"],
        "lh_tbt_s": audits["total-blocking-time"]["numericValue"] / 1000,
        "lh_interactive_s": audits["interactive"]["numericValue"] / 1000,
    }


FLOOR = "bare script (floor)"
DEFAULTS = "app, Streamlit defaults"
SERVED = "app as served"
ONE = "one server, PostgreSQL"
TWO = "two servers behind nginx"
# The framework's floor (the dashboard's elements already computed, under
# Streamlit's defaults); the app before issue 15 (no compression layer) with
# Streamlit's own per-run settings; then app.py with .streamlit/config.toml as
# `make run` has it.
TARGETS = {
    FLOOR: (ROOT / "bench" / "app_bare.py", STREAMLIT_DEFAULTS),
    DEFAULTS: (ROOT / "bench" / "app_defaults.py", STREAMLIT_DEFAULTS),
    SERVED: (ROOT / "app.py", AS_SERVED),
}


def prepared(url: str) -> None:
    """The database made and its demonstration data loaded, as the app's
    start does it (the bare script has no start of its own; two servers
    starting at once on an empty database would both load it)."""
    import logging

    from tracker.db.engine import make_engine
    from tracker.operations.seed import prepare_database

    engine = make_engine(url)
    logging.disable(logging.INFO)  # not one line per demonstration row in the report
    try:
        prepare_database(engine, demo=True)
    finally:
        logging.disable(logging.NOTSET)
        engine.dispose()


def _env(url: str) -> dict[str, str]:
    return {"TRACKER_DATABASE_URL": url, "TRACKER_DEMO": "1", "TRACKER_LOG_FORMAT": ""}


def _port(port: int | None, offset: int) -> int:
    from tests.browser import free_port

    return free_port() if port is None else port + offset


def side_by_side(
    url: str,
    sessions: int,
    runs: int,
    port: int | None = None,
    memory_runs: int = 0,
    lighthouse_runs: int = 2,
) -> dict[str, dict[str, float]]:
    """Each target on the same data, one after the other: the websocket load,
    then (if bench/node_modules holds it) Lighthouse `lighthouse_runs` times,
    the last run's figures kept (the first visitor after a start makes the
    server compress its bundle once); on the served app, memory before and
    after `memory_runs` more dashboard runs."""
    env = _env(url)
    prepared(url)
    figures: dict[str, dict[str, float]] = {}
    for offset, (name, (script, flags)) in enumerate(TARGETS.items()):
        with server(_port(port, offset), flags, env, script) as (base, pid):
            row: dict[str, float] = load(base, sessions, runs)
            row["rss_mb"] = rss_mb(pid)
            if lighthouse_runs and LIGHTHOUSE.exists() and name != FLOOR:
                out = ROOT / "var" / "bench" / f"lighthouse-{offset}.json"
                out.parent.mkdir(parents=True, exist_ok=True)
                measured: dict[str, object] = {}
                for _ in range(lighthouse_runs):
                    try:
                        measured = lighthouse(base, out)
                    except subprocess.CalledProcessError as error:  # reported, not fatal
                        tail = (error.stderr or b"").decode(errors="replace").strip()[-200:]
                        measured = {**measured, "lh_error": tail or f"exit {error.returncode}"}
                    except (subprocess.SubprocessError, OSError, KeyError) as error:
                        measured = {**measured, "lh_error": type(error).__name__}
                row.update(measured)
            if memory_runs and name == SERVED:
                # Read after each round of the same load; the first round is
                # the baseline (what Lighthouse's browser left is gone by then).
                rounds = max(2, memory_runs // (sessions * (runs + 1)) + 1)
                readings = []
                for _ in range(rounds):
                    load(base, sessions, runs)
                    readings.append(rss_mb(pid))
                row["memory_runs"] = (rounds - 1) * sessions * (runs + 1)
                row["rss_first_round_mb"] = readings[0]
                row["rss_max_mb"] = max(readings)
                row["rss_growth_mb"] = readings[-1] - readings[0]
                row["rss_readings_mb"] = " ".join(f"{r:.0f}" for r in readings)
            figures[name] = row
            print(f"  {name}: {row}", flush=True)
    return figures


@contextmanager
def postgres_schema(prefix: str = "bench") -> Iterator[str]:
    """A schema of this machine's PostgreSQL of its own, dropped afterwards: its URL."""
    from sqlalchemy import create_engine, text

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES else "?"
    try:
        yield f"{POSTGRES}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _cluster():
    """deploy/cluster.py (a script, not a package), as tests/test_deploy.py loads it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("cluster", ROOT / "deploy" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STREAM = re.compile(r'"GET /_stcore/stream [^"]*" \d+ \d+ upstream=127\.0\.0\.1:(\d+) ')


def ramp(base: str, steps: list[int], runs: int) -> dict[str, dict[str, float]]:
    """The same load at each number of sessions in `steps`, one after the other."""
    found: dict[str, dict[str, float]] = {}
    for sessions in steps:
        row = load(base, sessions, runs)
        found[f"{sessions} sessions"] = {
            key: row[key] for key in ("runs_per_s", "p50", "p95", "errors") if key in row
        }
        print(f"  ramp, {sessions} sessions: {found[f'{sessions} sessions']}", flush=True)
    return found


def capacity(steps: dict[str, dict[str, float]]) -> str | None:
    """The first step of the ramp where p95 passes CAPACITY_P95 (or an error
    shows), or None when no step did."""
    for name, row in steps.items():
        if row["p95"] > CAPACITY_P95 or row["errors"]:
            return name
    return None


def behind_nginx(
    sessions: int, runs: int, steps: list[int], port: int | None = None
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """On one PostgreSQL schema: one server as served (the load, then the
    ramp), then two servers as served behind nginx with TLS (the same load
    through https, each client a browser without a route cookie). Returns the
    two rows, and the ramp."""
    cluster = _cluster()
    figures: dict[str, dict[str, float]] = {}
    with postgres_schema() as url:
        prepared(url)
        env = _env(url)
        with server(_port(port, 3), AS_SERVED, env) as (base, pid):
            row = load(base, sessions, runs)
            row["rss_mb"] = rss_mb(pid)
            figures[ONE] = row
            print(f"  {ONE}: {row}", flush=True)
            steps_found = ramp(base, steps, runs)
        # One after the other: each takes the first free port of the range.
        with (
            server(_port(port, 3), AS_SERVED, env) as (first, first_pid),
            server(_port(port, 4), AS_SERVED, env) as (second, second_pid),
        ):
            ports = [int(b.rsplit(":", 1)[1]) for b in (first, second)]
            home = Path(tempfile.mkdtemp(prefix="tracker-bench-nginx-"))
            home.chmod(0o755)  # nginx's workers (www-data) write in its tmp/
            try:
                proxy = _port(port, 5)
                cluster.start_nginx(home, ports, proxy)
                context = ssl.create_default_context(cafile=str(home / "cert.pem"))
                cluster.wait_for(f"https://127.0.0.1:{proxy}/healthz", context)
                row = load(f"https://127.0.0.1:{proxy}", sessions, runs, context, (first, second))
                row["rss_mb"] = rss_mb(first_pid) + rss_mb(second_pid)
                log = home / "nginx-access.log"
                spread = Counter(STREAM.findall(log.read_text(encoding="utf-8")))
                row["sessions_per_server"] = " / ".join(str(spread.get(str(p), 0)) for p in ports)
            finally:
                cluster.stop_nginx(home)
                shutil.rmtree(home, ignore_errors=True)
        figures[TWO] = row
        print(f"  {TWO}: {row}", flush=True)
    return figures, steps_found


# Until every figure of the page is drawn and the script run has finished: as
# many Plotly charts as the page's run sent (`.js-plotly-plot`, each with its
# main svg laid out), as many key figures (`stMetric`), and as many tables as
# it sent outside a folded expander (the browser draws those only when
# opened), each with its grid's canvas laid out; then the time since the
# navigation started, in seconds.
DRAWN = """(expected) => {
  const plots = [...document.querySelectorAll(".js-plotly-plot")];
  if (plots.length < expected.charts) return false;
  const laidOut = (node) => node !== null && node.getBoundingClientRect().height > 0;
  if (!plots.every((plot) => laidOut(plot.querySelector("svg.main-svg")))) return false;
  if (document.querySelectorAll("[data-testid='stMetric']").length < expected.metrics) return false;
  const tables = [...document.querySelectorAll("[data-testid='stDataFrame']")]
    .filter((table) => table.checkVisibility());
  if (tables.length < expected.tables) return false;
  if (!tables.every((table) => laidOut(table.querySelector("canvas")))) return false;
  if (!(__RUN_ENDED__)()) return false;
  return performance.now() / 1000;
}"""

BROWSER_PAGES = {"dashboard": ("/", ""), "note": ("/note", "note")}


def drawn_in_chromium(url: str, port: int | None = None) -> dict[str, float]:
    """The app as served on `url`, in Debian's Chromium: for the dashboard and
    the note page, a first visit then a second (warm: the same browser, the
    server's caches and the browser's filled), the time from the navigation
    until every chart, key figure and table in view is drawn and the run has
    finished (what a page sends is counted first, over the websocket)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import RUN_ENDED, track_runs

    drawn = DRAWN.replace("__RUN_ENDED__", RUN_ENDED)
    found: dict[str, float] = {}
    with server(_port(port, 6), AS_SERVED, _env(url)) as (base, _pid):
        expected = {}
        for name, (_path, page_name) in BROWSER_PAGES.items():
            elements: Counter = Counter()
            asyncio.run(dashboard_session(base, 0, [], Counter(), page=page_name, in_view=elements))
            expected[name] = {
                "charts": elements.get("plotly_chart", 0),
                "metrics": elements.get("metric", 0),
                "tables": elements.get("dataframe", 0),
            }
            for kind, count in expected[name].items():
                found[f"{name}_{kind}"] = count
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu"],
            )
            try:
                tab = track_runs(
                    browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                )
                for name, (path, _page_name) in BROWSER_PAGES.items():
                    for visit in ("first", "warm"):
                        tab.goto(base + path, wait_until="commit")
                        handle = tab.wait_for_function(
                            drawn, arg=expected[name], timeout=DRAW_TIMEOUT
                        )
                        found[f"{name}_{visit}_s"] = handle.json_value()
            finally:
                browser.close()
    print(f"  Chromium: {found}", flush=True)
    return found


def targets(figures: dict[str, dict[str, float]], sessions: int) -> list[tuple[str, str, str]]:
    """(target, measured, met or MISSED) for each target of issue 15 measured here."""
    rows: list[tuple[str, str, str]] = []
    served = figures.get(SERVED, {})

    def add(target: str, value: float | None, ok: bool | None, shown: str) -> None:
        if value is None or value != value:  # not measured, or NaN
            rows.append((target, "not measured", "—"))
        else:
            rows.append((target, shown, "met" if ok else "MISSED"))

    def shown(value: object, template: str) -> str:
        return "" if value is None else template.format(value)

    def compared(target: str, above: str, below: str, limit: float) -> None:
        high, low = figures.get(above, {}), figures.get(below, {})
        if not high.get("runs_per_s") or not low.get("runs_per_s"):
            add(target, None, None, "")
            return
        ratio = high["runs_per_s"] / low["runs_per_s"]
        add(
            target,
            ratio,
            ratio >= limit,
            f"{high['runs_per_s']:.1f} vs {low['runs_per_s']:.1f} runs/s = {ratio:.2f}×",
        )

    compared(f"{sessions} sessions: as served ≥ 4× defaults (runs/s)", SERVED, DEFAULTS, 4)
    compared(f"{sessions} sessions: as served ≥ 1× the bare script (runs/s)", SERVED, FLOOR, 1)
    compared(f"{sessions} sessions: two servers behind nginx ≥ 1.6× one", TWO, ONE, 1.6)
    p95 = served.get("p95")
    add(
        f"{sessions} sessions: p95 ≤ 1.0 s",
        p95,
        p95 is not None and p95 <= 1.0,
        shown(p95, "{:.2f} s"),
    )
    for name in (FLOOR, DEFAULTS, SERVED, ONE, TWO):
        errors = figures.get(name, {}).get("errors")
        add(
            f"{sessions} sessions, {name}: no error",
            errors,
            errors == 0,
            shown(errors, "{} errors"),
        )
    steps = {k: v for k, v in figures.items() if k.startswith("ramp ")}
    if steps:
        limit = capacity(steps)
        last = list(steps)[-1]
        rows.append(
            (
                f"ramp {', '.join(k[5:].split()[0] for k in steps)}: capacity of one server "
                f"(first p95 > {CAPACITY_P95:g} s)",
                f"{limit[5:]} (p95 {steps[limit]['p95']:.2f} s)"
                if limit
                else f"not reached at {last[5:]} (p95 {steps[last]['p95']:.2f} s)",
                "found" if limit else "beyond the ramp",
            )
        )
    browser = figures.get("Chromium", {})
    for page in BROWSER_PAGES:
        value = browser.get(f"{page}_warm_s")
        add(
            f"Chromium, warm, {browser.get('size', 0):,.0f} contributions: "
            f"{page} figures drawn ≤ 1.5 s",
            value,
            value is not None and value <= 1.5,
            shown(value, "{:.2f} s")
            + f" ({browser.get(f'{page}_charts', 0):.0f} charts, "
            + f"{browser.get(f'{page}_metrics', 0):.0f} key figures, "
            + f"{browser.get(f'{page}_tables', 0):.0f} tables)",
        )
    growth = served.get("rss_growth_mb")
    add(
        f"memory over {served.get('memory_runs', 0):,.0f} more runs: growth ≤ 5 MB",
        growth,
        growth is not None and growth <= 5,
        shown(growth, "{:+.1f} MB"),
    )
    score = served.get("lh_performance")
    add(
        "Lighthouse performance ≥ 0.9",
        score,
        score is not None and score >= 0.9,
        shown(score, "{}"),
    )
    sent = served.get("lh_mb")
    add("first visit ≤ 3 MB sent", sent, sent is not None and sent <= 3, shown(sent, "{:.2f} MB"))
    shift = served.get("lh_cls")
    add("layout shift ≤ 0.1", shift, shift is not None and shift <= 0.1, shown(shift, "{:.3f}"))
    for key in ("lh_accessibility", "lh_best_practices"):
        value = served.get(key)
        add(f"Lighthouse {key[3:].replace('_', ' ')} = 1.0", value, value == 1, shown(value, "{}"))
    return rows


def measure(
    url: str,
    sessions: int,
    runs: int,
    steps: list[int],
    browser_url: str | None,
    port: int | None = None,
    memory_runs: int = 0,
    lighthouse_runs: int = 2,
) -> dict[str, dict[str, float]]:
    """Everything of issue 15 measured here, in one run: the three targets
    side by side on `url` (SQLite), one and two servers on PostgreSQL with the
    ramp on the one, then Chromium on `browser_url`. A part that fails is
    reported in its row and the others still run."""
    figures = side_by_side(url, sessions, runs, port, memory_runs, lighthouse_runs)
    try:
        servers, steps_found = behind_nginx(sessions, runs, steps, port)
        figures.update(servers)
        figures.update({f"ramp {k}": v for k, v in steps_found.items()})
    except Exception as error:  # reported; the browser part still runs
        figures[TWO] = {"error": f"{type(error).__name__}: {error}"[:160]}
        print(f"  {TWO}: {figures[TWO]}", flush=True)
    if browser_url:
        try:
            figures["Chromium"] = drawn_in_chromium(browser_url, port)
        except Exception as error:
            figures["Chromium"] = {"error": f"{type(error).__name__}: {error}"[:160]}
            print(f"  Chromium: {figures['Chromium']}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--ramp", default="10,20,50,100")
    parser.add_argument("--port", type=int, help="first of seven ports (default: free ones)")
    parser.add_argument("--memory-runs", type=int, default=0)
    parser.add_argument("--lighthouse-runs", type=int, default=2)
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var' / 'bench-serving.db'}")
    parser.add_argument("--browser-database", help="a generated database for Chromium")
    args = parser.parse_args()
    figures = measure(
        args.database,
        args.sessions,
        args.runs,
        [int(n) for n in args.ramp.split(",")],
        args.browser_database,
        args.port,
        args.memory_runs,
        args.lighthouse_runs,
    )
    for row in targets(figures, args.sessions):
        print(*row, sep="  |  ")


if __name__ == "__main__":
    main()
