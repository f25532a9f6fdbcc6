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


def side_by_side(
    url: str, sessions: int, runs: int, port: int, memory_runs: int = 0
) -> dict[str, dict[str, float]]:
    """The app under Streamlit's defaults, then as served, on the same data;
    with `memory_runs`, the served server's memory before and after that many
    more dashboard runs."""
    env = {"TRACKER_DATABASE_URL": url, "TRACKER_DEMO": "1", "TRACKER_LOG_FORMAT": ""}
    figures: dict[str, dict[str, float]] = {}
    for offset, (name, flags) in enumerate(
        (("app, Streamlit defaults", STREAMLIT_DEFAULTS), ("app as served", AS_SERVED))
    ):
        with server(port + offset, flags, env) as (base, pid):
            row = load(base, sessions, runs)
            row["rss_mb"] = rss_mb(pid)
            if memory_runs and flags is AS_SERVED:
                rounds = max(1, memory_runs // (sessions * runs))
                before = rss_mb(pid)
                for _ in range(rounds):
                    load(base, sessions, runs)
                row["memory_runs"] = rounds * sessions * runs
                row["rss_growth_mb"] = rss_mb(pid) - before
            figures[name] = row
            print(f"  {name}: {row}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--port", type=int, default=8610)
    parser.add_argument("--memory-runs", type=int, default=0)
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var' / 'bench-serving.db'}")
    args = parser.parse_args()
    for name, row in side_by_side(
        args.database, args.sessions, args.runs, args.port, args.memory_runs
    ).items():
        print(name, row)


if __name__ == "__main__":
    main()
