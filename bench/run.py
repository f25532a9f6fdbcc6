"""`make bench`: page-run server times, first runs, import, memory and concurrent
sessions at three sizes, on SQLite and PostgreSQL. Not a test: it reports.

    python bench/run.py [--sizes 1000,10000,100000] [--backends sqlite,postgresql]
                        [--runs 5] [--out docs/performance.md] [--pages-only]
                        [--serving-only] [--no-serving] [--memory-runs 2000]
                        [--sessions 20] [--ramp 10,20,50,100] [--size 100000]
                        [--mail-only] [--no-mail] [--smtp-port P]

A quick check of the serving part's code (minutes, figures meaningless):
    python bench/run.py --serving-only --sessions 5 --runs 2 --ramp 5,10 --size 10000 \\
                        --memory-runs 0

Each database is generated with `python -m tracker demo generate` (history:
10× the contributions, 1,000,000 at the largest size). Then issue 15's serving
comparison (bench/serving.py): on the demonstration data, the bare script
(the framework's floor), the app under Streamlit's defaults and the app as
served, side by side (20 websocket sessions, Lighthouse, memory); one server
and two behind nginx on PostgreSQL, and a ramp of sessions on the one; in
Chromium, the time until the dashboard's and the note page's charts are drawn
at `--size` contributions. And issue 13's mail figures (bench/mail.py): 1,000
invitations from one file, a bulk import of 1,000 submitted contributions
with and without the secretariat's notifications, and the sender's delivery
rate to a real SMTP server on loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("TRACKER_FAST_PASSWORD_HASHING", "1")

import pandas as pd  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402

from bench.sessions import TARGETS as SESSION_TARGETS  # noqa: E402
from bench.sessions import session_times  # noqa: E402

POSTGRES = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
VAR = ROOT / "var" / "bench"
GENERATE_TIMEOUT = 900  # seconds: a generation that takes longer is a failure, not a wait
RUN_TIMEOUT = 300  # seconds for one page run of a websocket client
SERVER_TIMEOUT = 1200  # seconds for all the websocket sessions of one size


def history_for(size: int) -> int:
    return 1_000_000 if size >= 100_000 else size * 10


def database(backend: str, size: int) -> tuple[str, float, callable]:
    """A generated database; its URL, the generation time and how to drop it."""
    if backend == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        path = VAR / f"bench-{size}.db"
        _remove_sqlite(path)
        url = f"sqlite:///{path}"

        def drop() -> None:
            _remove_sqlite(path)

    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES}?options=-csearch_path%3D{schema}"

        def drop() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "demo",
            "generate",
            "--organisations",
            str(max(100, size // 10)),
            "--contributions",
            str(size),
            "--history",
            str(history_for(size)),
            "--seed",
            "2018",
        ],
        env={
            **os.environ,
            "TRACKER_DATABASE_URL": url,
            "PYTHONPATH": str(ROOT / "src"),
            "TRACKER_LOG_FORMAT": "",
        },
        check=True,
        capture_output=True,
        timeout=GENERATE_TIMEOUT,
    )
    return url, time.perf_counter() - started, drop


# Page runs (AppTest: the server side of a page run, in this process) -----------------


def page_times(url: str, runs: int) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tracker.ui import MAIN_SCRIPT

    os.environ["TRACKER_DATABASE_URL"] = url
    os.environ["TRACKER_DEMO"] = "1"
    page = {
        "dashboard": None,
        "table_filter": "pages/propositions.py",
        "proposal": "pages/proposition.py",
        "note": "pages/note.py",
    }
    # Python imports its modules once per process: a page run first imports
    # them (plotly, the pages…), which is not what "empty caches" measures.
    for script in page.values():
        warm = AppTest.from_file(MAIN_SCRIPT, default_timeout=600)
        warm.query_params["n"] = "4"
        warm.run()
        if script:
            warm.switch_page(os.path.relpath(ROOT / script, Path(MAIN_SCRIPT).parent))
            warm.run()
    result: dict[str, float] = {}
    for name, script in page.items():
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_file(MAIN_SCRIPT, default_timeout=600)
        if name == "proposal":
            app.query_params["n"] = "4"
        if script:
            app.run()
            app.switch_page(os.path.relpath(ROOT / script, Path(MAIN_SCRIPT).parent))
        started = time.perf_counter()
        app.run()  # empty caches (the engine is made again too, as at a server's start;
        # for the dashboard the first run is the first page's; for the others,
        # a page after the dashboard, whose caches are then warm)
        result[f"{name}_first"] = time.perf_counter() - started
        assert not app.exception, app.exception
        times = []
        themes = ["connectee", "solidaire"]
        for i in range(runs + 1):
            if name == "table_filter":
                app.multiselect(key="f_theme").set_value([themes[i % 2]])
            started = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - started)
            assert not app.exception, app.exception
        result[name] = statistics.median(times[1:])  # the first is the warm-up
    return result


# Import --------------------------------------------------------------------------------


def import_times(url: str) -> dict[str, float]:
    from tests.test_faults import import_file
    from tracker.accounts import queries as account_queries
    from tracker.contributions import importer
    from tracker.db.engine import make_engine
    from tracker.db.models import Contribution
    from tracker.db.unit_of_work import transaction

    content = import_file(10_000)
    engine = make_engine(url)
    started = time.perf_counter()
    with transaction(engine) as session:
        actor = account_queries.actor_for(
            account_queries.get_account(session, "lille@demo.invalid")
        )
        report = importer.import_contributions(session, actor, content, "bench.csv")
        assert report.ok, report.problems[:3]
    service = time.perf_counter() - started

    import io

    started = time.perf_counter()
    frame = pd.read_csv(io.BytesIO(content), sep=";", dtype=str)
    rows = [
        {
            "proposal_id": int(r.proposal),
            "organisation_id": 1,
            "state": "draft",
            "title": r.title,
            "status": r.status,
            "progress": int(r.progress),
            "created_by": "bench",
            "created_at": pd.Timestamp.now(tz="UTC").to_pydatetime(),
            "updated_at": pd.Timestamp.now(tz="UTC").to_pydatetime(),
            "version": 1,
            "description": "",
            "partner_authority": "",
            "evidence_links": "",
            "contact": "",
            "review_comment": "",
        }
        for r in frame.itertuples()
    ]
    with engine.begin() as connection:
        connection.execute(insert(Contribution), rows)
    raw = time.perf_counter() - started
    engine.dispose()
    return {"import": service, "import_raw": raw}


# A real server, sessions through Streamlit's own websocket protocol ------------------------


async def _session(base: str, changes: int, latencies: list[float]):
    """One browser session over Streamlit's own protocol: the dashboard, the
    table, then `changes` changes of the table's theme filter (the widget's
    new value sent as the browser sends it). Each page run's time goes to
    `latencies`; the open websocket is returned."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    ws = await connect(
        base.replace("http", "ws") + "/_stcore/stream", max_size=None, ping_interval=None
    )
    theme_filter: dict[str, object] = {}

    async def run(page: str = "", theme: str | None = None) -> None:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = page
        if theme is not None:
            widget = msg.rerun_script.widget_states.widgets.add()
            widget.id = theme_filter["id"]
            widget.string_array_value.data.append(theme)
        started = time.perf_counter()
        await ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(ws.recv(), RUN_TIMEOUT)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "script_finished":
                latencies.append(time.perf_counter() - started)
                return
            if kind != "delta" or forward.delta.WhichOneof("type") != "new_element":
                continue
            element = forward.delta.new_element
            if element.WhichOneof("type") == "exception":
                raise RuntimeError(element.exception.message)
            if element.WhichOneof("type") == "multiselect" and "f_theme" in element.multiselect.id:
                theme_filter.update(
                    id=element.multiselect.id, options=list(element.multiselect.options)
                )

    await run()  # the dashboard
    await run("propositions")  # the table
    for i in range(changes):
        options = theme_filter["options"]
        await run("propositions", options[i % len(options)])
    return ws


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_figures(url: str, sessions: int, changes: int) -> dict[str, float]:
    """A real server: its memory with one open session, then with `sessions`
    more, all of them running at once (page-run times: p50, p95; errors)."""
    from tests.browser import running_app

    with running_app(url, timeout=120) as base:
        pid = _server_pid(base)
        latencies: list[float] = []

        async def main() -> dict[str, float]:
            # The first session goes the same way: every cache is warm before
            # memory is read, so what the others add is theirs.
            first = await _session(base, changes, [])
            one = rss_mb(pid)
            started = time.perf_counter()
            clients = await asyncio.wait_for(
                asyncio.gather(
                    *[_session(base, changes, latencies) for _ in range(sessions)],
                    return_exceptions=True,
                ),
                SERVER_TIMEOUT,
            )
            wall = time.perf_counter() - started
            many = rss_mb(pid)
            errors = [c for c in clients if isinstance(c, BaseException)]
            for ws in (first, *clients):
                if not isinstance(ws, BaseException):
                    await ws.close()
            figures = {"rss_1": one, f"rss_{sessions + 1}": many, "wall": wall}
            figures["ws_errors"] = len(errors)
            if errors:
                figures["ws_error"] = f"{type(errors[0]).__name__}: {errors[0]}"[:120]
            return figures

        figures = asyncio.run(main())
    latencies.sort()
    if latencies:
        figures["p95"] = latencies[int(0.95 * (len(latencies) - 1))]
        figures["p50"] = statistics.median(latencies)
    figures["per_session_mb"] = (figures[f"rss_{sessions + 1}"] - figures["rss_1"]) / sessions
    return figures


def _server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-ltnp", f"sport = :{port}"], capture_output=True, text=True)
    return int(out.stdout.split("pid=")[1].split(",")[0])


# The report ---------------------------------------------------------------------------


PAGES = ("dashboard", "table_filter", "proposal", "note")


def targets(frame: pd.DataFrame, sessions: int) -> list[tuple[str, str, str, str]]:
    """(backend, target, figure, met?) for each target of issue 6."""
    rows = []

    def add(backend: str, target: str, value: float | None, limit: float, unit: str) -> None:
        if value is None or pd.isna(value):
            rows.append((backend, target, "not measured", "—"))
        else:
            rows.append(
                (backend, target, f"{value:.2f}{unit}", "met" if value <= limit else "MISSED")
            )

    for backend, own in frame.groupby("backend", sort=False):
        own = own.sort_values("size")
        small, large = own.iloc[0], own.iloc[-1]
        span = f"{int(small['size']):,}→{int(large['size']):,}"
        for page in PAGES:
            ratio = large[page] / small[page] if len(own) > 1 else None
            add(backend, f"{page} page run ×{span} ≤ 1.5", ratio, 1.5, "×")
        at_large = f"at {int(large['size']):,}"
        add(backend, f"dashboard page run {at_large} ≤ 0.3 s", large["dashboard"], 0.3, " s")
        for name, limit in SESSION_TARGETS.items():
            add(backend, f"session {name} {at_large} ≤ {limit:g} s", large.get(name), limit, " s")
        for page in PAGES:
            add(backend, f"{page} first run {at_large} ≤ 2 s", large[f"{page}_first"], 2, " s")
        imported = own[own["import"].notna()] if "import" in own else own.iloc[0:0]
        if len(imported):
            row = imported.iloc[0]
            add(backend, "import of 10,000 rows ≤ 5 s", row["import"], 5, " s")
            add(
                backend,
                "import ≤ 5× pandas + raw insert",
                row["import"] / row["import_raw"],
                5,
                "×",
            )
        for _, row in own.iterrows():
            size = f"{int(row['size']):,}"
            add(backend, f"extra session {size} ≤ 5 MB", row.get("per_session_mb"), 5, " MB")
            errors = row.get("ws_errors")
            p95 = row.get("p95")
            rows.append(
                (
                    backend,
                    f"{sessions} concurrent sessions {size}: no error (p95)",
                    "not run"
                    if errors is None or pd.isna(errors)
                    else f"{int(errors)} errors, p95 {p95:.2f} s",
                    "—"
                    if errors is None or pd.isna(errors)
                    else "met"
                    if errors == 0
                    else "MISSED",
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--runs", type=int, help="re-runs per page (default 5) and per serving session (10)"
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="page runs only: no import, no server memory, no concurrent sessions",
    )
    parser.add_argument(
        "--serving-only", action="store_true", help="only the side-by-side serving comparison"
    )
    parser.add_argument("--no-serving", action="store_true", help="no serving comparison")
    parser.add_argument("--mail-only", action="store_true", help="only the mail figures")
    parser.add_argument("--no-mail", action="store_true", help="no mail figures")
    parser.add_argument("--smtp-port", type=int, help="mail: the SMTP server's port")
    parser.add_argument("--memory-runs", type=int, default=2000)
    parser.add_argument("--port", type=int, help="first of the serving comparison's seven ports")
    parser.add_argument("--ramp", default="10,20,50,100", help="serving: sessions at each step")
    parser.add_argument(
        "--size", type=int, default=100_000, help="serving: contributions for Chromium"
    )
    args = parser.parse_args()
    if args.serving_only:
        serving_report(args)
        return
    if args.mail_only:
        mail_section(args)
        return
    began, load_before = time.perf_counter(), os.getloadavg()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for backend in args.backends.split(","):
        for size in sizes:
            print(f"— {backend}, {size} contributions: generating…", flush=True)
            row: dict[str, object] = {"backend": backend, "size": size}
            try:
                url, row["generate_s"], drop = database(backend, size)
            except Exception as error:  # reported; the other sizes still run
                row["error"] = f"generation: {type(error).__name__}: {error}"[:160]
                rows.append(row)
                continue
            try:
                row.update(page_times(url, args.runs or 5))
                row.update(session_times(url))
                print(f"  pages {row}", flush=True)
                if size == min(sizes) and not args.pages_only:
                    row.update(import_times(url))
                try:
                    if not args.pages_only:
                        row.update(server_figures(url, args.sessions, 10))
                except Exception as error:  # reported, and the other sizes still run
                    row["server_error"] = f"{type(error).__name__}: {error}"[:120]
                print(f"  {row}", flush=True)
            except Exception as error:
                row["error"] = f"{type(error).__name__}: {error}"[:160]
            finally:
                rows.append(row)
                drop()
    frame = pd.DataFrame(rows)
    for column in ("import", "import_raw", "per_session_mb", "ws_errors", "p95"):
        if column not in frame:
            frame[column] = float("nan")
    frame["import_ratio"] = frame["import"] / frame["import_raw"]
    elapsed, load_after = time.perf_counter() - began, os.getloadavg()
    figures = frame.to_string(index=False, float_format=lambda v: f"{v:.3f}")
    checks = pd.DataFrame(
        targets(frame[frame.get("error", pd.Series(index=frame.index)).isna()], args.sessions),
        columns=["backend", "target", "measured", "result"],
    )
    verdict = checks.to_string(index=False)
    context = (
        f"{len(rows)} runs in {elapsed / 60:.1f} min; load average "
        f"{load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end"
    )
    print(figures, verdict, context, sep="\n\n")
    if args.out:
        header = (
            f"\n## Run of {date.today().isoformat()} on {platform.node()} "
            f"({os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()})\n\n{context}.\n\n"
        )
        _append(args.out, header, figures, verdict)
    if not args.no_mail and not args.pages_only:
        mail_section(args)
    if not args.no_serving and not args.pages_only:
        serving_report(args)


def mail_section(args: argparse.Namespace) -> None:
    """Issue 13's mail figures (bench/mail.py) on each backend: printed and,
    with `--out`, appended."""
    from bench.mail import mail_report

    figures, verdict, context = mail_report(args.backends.split(","), port=args.smtp_port)
    print(figures, verdict, context, sep="\n\n")
    if args.out:
        header = (
            f"\n## Mail (issue 13): run of {date.today().isoformat()} on {platform.node()} "
            f"({os.cpu_count()} cores, shared with other work and loaded)\n\n{context}.\n\n"
        )
        _append(args.out, header, figures, verdict)


def _append(out_path: Path, header: str, figures: str, verdict: str) -> None:
    """One run, its figures and its targets, at the end of `out_path`."""
    with out_path.open("a", encoding="utf-8") as out:
        out.write(header + "```\n" + figures + "\n```\n\n```\n" + verdict + "\n```\n")


def _remove_sqlite(path: Path) -> None:
    """A SQLite database file and its write-ahead log."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def serving_report(args: argparse.Namespace) -> None:
    """Issue 15's comparison in one run (bench/serving.py): the bare script,
    the app under Streamlit's defaults and as served on the demonstration data;
    one server and two behind nginx on PostgreSQL, the ramp of sessions; then
    Chromium on a generated database of `--size` contributions. The tables and
    the targets printed and, with `--out`, appended."""
    import serving

    began, load_before = time.perf_counter(), os.getloadavg()
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "serving.db"
    _remove_sqlite(path)
    runs = 10 if args.runs is None else args.runs
    steps = [int(n) for n in args.ramp.split(",")]
    print(
        f"— serving: {args.sessions} sessions × {runs} runs; ramp {args.ramp}; "
        f"Chromium at {args.size:,} contributions…",
        flush=True,
    )
    browser_url, drop, generated = None, None, float("nan")
    try:
        try:
            browser_url, generated, drop = database("sqlite", args.size)
        except Exception as error:  # reported; the rest still runs
            print(f"  generation of {args.size:,}: {type(error).__name__}: {error}"[:200])
        measured = serving.measure(
            f"sqlite:///{path}",
            args.sessions,
            runs,
            steps,
            browser_url,
            args.port,
            args.memory_runs,
        )
    finally:
        _remove_sqlite(path)
        if drop:
            drop()
    if "Chromium" in measured:
        measured["Chromium"].update(size=args.size, generate_s=generated)
    loads = {k: v for k, v in measured.items() if k != "Chromium" and not k.startswith("ramp ")}
    ramp = {k[5:]: v for k, v in measured.items() if k.startswith("ramp ")}
    readings = {k: v.pop("rss_readings_mb") for k, v in loads.items() if "rss_readings_mb" in v}
    tables = [pd.DataFrame.from_dict(loads, orient="index").T]
    if ramp:
        tables.append(pd.DataFrame.from_dict(ramp, orient="index"))
    if "Chromium" in measured:
        tables.append(pd.DataFrame.from_dict({"Chromium": measured["Chromium"]}, orient="index").T)
    figures = "\n\n".join(t.to_string(float_format=lambda v: f"{v:.3f}") for t in tables)
    for name, line in readings.items():
        figures += f"\n\n{name}, memory after each round (MB): {line}"
    verdict = pd.DataFrame(
        serving.targets(measured, args.sessions), columns=["target", "measured", "result"]
    ).to_string(index=False)
    elapsed, load_after = time.perf_counter() - began, os.getloadavg()
    context = (
        f"serving comparison in {elapsed / 60:.1f} min; load average "
        f"{load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end"
    )
    print(figures, verdict, context, sep="\n\n")
    if args.out:
        header = (
            f"\n## Serving, side by side: run of {date.today().isoformat()} on "
            f"{platform.node()} ({os.cpu_count()} cores)\n\n{context}; demonstration data, "
            f"{args.sessions} websocket sessions each re-running the dashboard {runs} times; "
            f"ramp {args.ramp} sessions; Chromium at {args.size:,} contributions.\n\n"
        )
        _append(args.out, header, figures, verdict)


if __name__ == "__main__":
    main()
