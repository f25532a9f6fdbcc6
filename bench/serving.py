"""The same load against differently configured servers, side by side.

    python bench/serving.py [--sessions 20] [--runs 10] [--port 8610]

Each target is a real `streamlit run app.py` (or a bare script) started with
its own command-line settings; the load is `sessions` websocket clients at
once, each opening the dashboard then re-running it `runs` times over
Streamlit's own protocol, as a browser does. Not a test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

RUN_TIMEOUT = 120  # seconds for one page run: longer is an error, not a wait
START_TIMEOUT = 120  # seconds for a server to answer its health check

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


async def dashboard_session(base: str, runs: int, latencies: list[float]) -> int:
    """One session: the dashboard, then `runs` re-runs of it (each page run's
    time appended to `latencies`); returns the bytes the server sent."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    received = 0
    async with connect(
        base.replace("http", "ws") + "/_stcore/stream", max_size=None, ping_interval=None
    ) as ws:
        for i in range(runs + 1):
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = ""
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
                if (
                    kind == "delta"
                    and forward.delta.WhichOneof("type") == "new_element"
                    and forward.delta.new_element.WhichOneof("type") == "exception"
                ):
                    raise RuntimeError(forward.delta.new_element.exception.message)
            if i:  # the first run opens the session; the re-runs are measured
                latencies.append(time.perf_counter() - started)
    return received


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(base: str, sessions: int, runs: int) -> dict[str, float]:
    """`sessions` sessions at once: page runs per second, p50, p95, errors,
    bytes sent per page run."""
    latencies: list[float] = []

    async def main() -> list[object]:
        return await asyncio.gather(
            *[dashboard_session(base, runs, latencies) for _ in range(sessions)],
            return_exceptions=True,
        )

    asyncio.run(dashboard_session(base, 1, []))  # caches warm before measuring
    started = time.perf_counter()
    results = asyncio.run(main())
    wall = time.perf_counter() - started
    errors = [r for r in results if isinstance(r, BaseException)]
    sent = [r for r in results if isinstance(r, int)]
    latencies.sort()
    return {
        "runs_per_s": len(latencies) / wall if wall else float("nan"),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "errors": len(errors),
        "kib_per_run": sum(sent) / 1024 / (len(sent) * (runs + 1)) if sent else float("nan"),
    }


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


DEFAULTS = "app, Streamlit defaults"
SERVED = "app as served"
# The app before issue 15 (no compression layer) with Streamlit's own
# per-run settings; then app.py with .streamlit/config.toml as `make run` has it.
TARGETS = {
    DEFAULTS: (ROOT / "bench" / "app_defaults.py", STREAMLIT_DEFAULTS),
    SERVED: (ROOT / "app.py", AS_SERVED),
}


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
    from tests.browser import free_port

    env = {"TRACKER_DATABASE_URL": url, "TRACKER_DEMO": "1", "TRACKER_LOG_FORMAT": ""}
    figures: dict[str, dict[str, float]] = {}
    for offset, (name, (script, flags)) in enumerate(TARGETS.items()):
        with server(free_port() if port is None else port + offset, flags, env, script) as (
            base,
            pid,
        ):
            row: dict[str, float] = load(base, sessions, runs)
            row["rss_mb"] = rss_mb(pid)
            if lighthouse_runs and LIGHTHOUSE.exists():
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


def targets(figures: dict[str, dict[str, float]], sessions: int) -> list[tuple[str, str, str]]:
    """(target, measured, met or MISSED) for each target of issue 15 measured here."""
    rows: list[tuple[str, str, str]] = []
    defaults, served = figures.get(DEFAULTS, {}), figures.get(SERVED, {})

    def add(target: str, value: float | None, ok: bool | None, shown: str) -> None:
        if value is None or value != value:  # not measured, or NaN
            rows.append((target, "not measured", "—"))
        else:
            rows.append((target, shown, "met" if ok else "MISSED"))

    def shown(value: object, template: str) -> str:
        return "" if value is None else template.format(value)

    if defaults and served:
        ratio = served["runs_per_s"] / defaults["runs_per_s"]
        add(
            f"{sessions} sessions: as served ≥ 4× defaults (runs/s)",
            ratio,
            ratio >= 4,
            f"{served['runs_per_s']:.1f} vs {defaults['runs_per_s']:.1f} runs/s = {ratio:.1f}×",
        )
    p95 = served.get("p95")
    add(
        f"{sessions} sessions: p95 ≤ 1.0 s",
        p95,
        p95 is not None and p95 <= 1.0,
        shown(p95, "{:.2f} s"),
    )
    errors = served.get("errors")
    add(f"{sessions} sessions: no error", errors, errors == 0, shown(errors, "{} errors"))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--port", type=int, help="first of two ports (default: free ones)")
    parser.add_argument("--memory-runs", type=int, default=0)
    parser.add_argument("--lighthouse-runs", type=int, default=2)
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var' / 'bench-serving.db'}")
    args = parser.parse_args()
    figures = side_by_side(
        args.database,
        args.sessions,
        args.runs,
        args.port,
        args.memory_runs,
        args.lighthouse_runs,
    )
    for row in targets(figures, args.sessions):
        print(*row, sep="  |  ")


if __name__ == "__main__":
    main()
