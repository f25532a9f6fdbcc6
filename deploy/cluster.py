"""`make cluster N=2` / `make cluster-stop`: the deployment of deploy/ tried on
one machine, on loopback.

    python deploy/cluster.py start [--servers 2] [--port 8443] [--app-port 8511]
    python deploy/cluster.py stop

`start` makes a self-signed certificate, starts N app servers
(`streamlit run app.py`, demonstration data) on one PostgreSQL schema, and
Debian's nginx with deploy/nginx/tracker.conf (only its lines marked EDIT
replaced) in front, on https://127.0.0.1:PORT. Everything lives in
var/cluster/; `stop` ends what `start` started (by the process ids it wrote)
and removes the schema and that folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx" / "tracker.conf"
HOME = ROOT / "var" / "cluster"
STATE = HOME / "state.json"
POSTGRES = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SCHEMA = "tracker_cluster"
START_TIMEOUT = 120  # seconds for every server to answer


def site_for(app_ports: list[int], port: int, home: Path) -> str:
    """deploy/nginx/tracker.conf for loopback: its EDIT lines replaced."""
    text = SITE.read_text(encoding="utf-8")
    # The plain-HTTP redirect is for a public name on port 80: not on loopback.
    text = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", text, flags=re.DOTALL)
    servers = "".join(
        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in app_ports
    )
    text = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*# EDIT\n)+", servers, text)
    replacements = {
        r"    listen 443 ssl http2;  # EDIT": f"    listen 127.0.0.1:{port} ssl http2;",
        r"    listen \[::\]:443 ssl http2;  # EDIT\n": "",
        r"server_name tracker\.example\.org;  # EDIT": "server_name localhost 127.0.0.1;",
        r"ssl_certificate     \S+;  # EDIT": f"ssl_certificate     {home / 'cert.pem'};",
        r"ssl_certificate_key \S+;  # EDIT": f"ssl_certificate_key {home / 'key.pem'};",
    }
    for pattern, replacement in replacements.items():
        text, count = re.subn(pattern, replacement, text)
        if not count:
            raise SystemExit(f"deploy/nginx/tracker.conf: no line matches {pattern!r}")
    if "# EDIT" in text.split("\n", 6)[-1]:
        raise SystemExit("deploy/nginx/tracker.conf: an EDIT line was left as it is")
    return text


def main_conf(home: Path) -> str:
    """The rest of an nginx.conf that Debian's /etc/nginx/nginx.conf would give."""
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {home / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes auto;
pid {home / "nginx.pid"};
error_log {home / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format tracker '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                       'upstream=$upstream_addr route=$tracker_route';
    access_log {home / "nginx-access.log"} tracker;
{temp}
    include {home / "tracker.conf"};
}}
"""


def certificate(home: Path) -> None:
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "7",
            "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(home / "key.pem"), "-out", str(home / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


def nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise SystemExit("nginx is not installed: apt-get install -y nginx-light")
    return found


def wait_for(url: str, context: ssl.SSLContext | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer in {START_TIMEOUT} s")
        time.sleep(0.3)  # polling with a deadline, until it answers


def database_url() -> tuple[str, bool]:
    """The cluster's database: TRACKER_DATABASE_URL, or a schema of this
    machine's PostgreSQL made for it (then dropped by `stop`)."""
    if os.environ.get("TRACKER_DATABASE_URL"):
        return os.environ["TRACKER_DATABASE_URL"], False
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
    engine.dispose()
    return f"{POSTGRES}?options=-csearch_path%3D{SCHEMA}", True


def start_nginx(home: Path, app_ports: list[int], port: int) -> None:
    """A certificate, the configuration (checked with `nginx -t`) and nginx
    itself, all in `home`, in front of `app_ports`, on https://127.0.0.1:`port`."""
    binary = nginx()
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    certificate(home)
    (home / "tracker.conf").write_text(site_for(app_ports, port, home), encoding="utf-8")
    (home / "nginx.conf").write_text(main_conf(home), encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(home / "tmp", "www-data")
    arguments = [binary, "-p", str(home), "-c", str(home / "nginx.conf")]
    subprocess.run([*arguments, "-t", "-q"], check=True, capture_output=True)
    subprocess.run(arguments, check=True, capture_output=True)


def stop_nginx(home: Path) -> None:
    """`nginx -s quit`, then wait (with a deadline) until it has quit."""
    if not (home / "nginx.pid").exists():
        return
    subprocess.run(
        [nginx(), "-p", str(home), "-c", str(home / "nginx.conf"), "-s", "quit"],
        check=False,
        capture_output=True,
    )
    deadline = time.monotonic() + 15
    while (home / "nginx.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)  # nginx removes its pid file when it has quit


def start(servers: int, port: int, app_port: int) -> None:
    if STATE.exists():
        raise SystemExit("a cluster is already running: make cluster-stop first")
    nginx()  # installed, or say so before starting anything
    HOME.mkdir(parents=True, exist_ok=True)
    url, own_schema = database_url()
    state: dict[str, object] = {"apps": [], "own_schema": own_schema, "port": port}
    STATE.write_text(json.dumps(state), encoding="utf-8")
    app_ports = [app_port + i for i in range(servers)]
    for p in app_ports:
        log = (HOME / f"app-{p}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(p), "--server.address", "127.0.0.1"],
            cwd=ROOT,
            env={**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_DEMO": "1",
                 "PYTHONPATH": str(ROOT / "src")},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        state["apps"].append({"pid": process.pid, "port": p})
        STATE.write_text(json.dumps(state), encoding="utf-8")
    for p in app_ports:
        wait_for(f"http://127.0.0.1:{p}/healthz")
    start_nginx(HOME, app_ports, port)
    state["nginx"] = True
    STATE.write_text(json.dumps(state), encoding="utf-8")
    trusted = ssl.create_default_context(cafile=str(HOME / "cert.pem"))
    wait_for(f"https://127.0.0.1:{port}/healthz", trusted)
    print(
        f"https://127.0.0.1:{port}/ — nginx in front of {servers} app servers "
        f"(ports {', '.join(map(str, app_ports))}); certificate: {HOME / 'cert.pem'}"
    )


def _is_ours(pid: int, port: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"streamlit" in b" ".join(command) and str(port).encode() in command


def stop() -> None:
    if not STATE.exists():
        print("no cluster is running")
        return
    state = json.loads(STATE.read_text(encoding="utf-8"))
    stop_nginx(HOME)
    for app in state.get("apps", []):
        if _is_ours(app["pid"], app["port"]):
            os.kill(app["pid"], signal.SIGTERM)
    deadline = time.monotonic() + 15
    for app in state.get("apps", []):
        while _is_ours(app["pid"], app["port"]) and time.monotonic() < deadline:
            time.sleep(0.2)  # until it has ended, with a deadline
        if _is_ours(app["pid"], app["port"]):
            os.kill(app["pid"], signal.SIGKILL)
    if state.get("own_schema"):
        from sqlalchemy import create_engine, text

        engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        engine.dispose()
    shutil.rmtree(HOME, ignore_errors=True)
    print("cluster stopped and removed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--app-port", type=int, default=8511)
    args = parser.parse_args()
    if args.command == "start":
        try:
            start(args.servers, args.port, args.app_port)
        except BaseException:
            stop()  # nothing half-started is left behind
            raise
    else:
        stop()


if __name__ == "__main__":
    main()
