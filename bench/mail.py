"""Mail at scale, for `make bench` (issue 13): on a fresh database with the
catalogue and the demonstration accounts,

- one invitation file of 1,000 rows invited in one call of the action
  (`users invite --file`): its time, and the messages it queued;
- one bulk import of 1,000 contributions submitted at once, with the
  secretariat's notifications on (« at once », the default: one message per
  account for the whole import) and with every secretariat account opted out,
  side by side (in turns, three of each: the median time), and the messages
  each queued;
- the sender (`send_due`, what `python -m tracker mail send` runs) delivering
  the 1,000 invitations to a real SMTP server on loopback (aiosmtpd, STARTTLS
  and a login, tests/smtp.py): messages per second, and what it received.

    python bench/mail.py [--backends sqlite,postgresql] [--rows 1000] [--port 8820]
                         [--repeats 3]

bench/run.py calls `mail_report` (and `--mail-only` runs only this).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("TRACKER_FAST_PASSWORD_HASHING", "1")

VAR = ROOT / "var" / "bench"
CONTRIBUTOR = "lille@demo.invalid"
ORGANISATION = "200093201"  # the demonstration's Métropole Européenne de Lille (SIREN)
SEND_TIMEOUT = 300  # seconds: a delivery that takes longer is a failure, not a wait


@contextmanager
def fresh_database(backend: str):
    """A fresh database's URL (SQLite file, or a PostgreSQL schema of its
    own), dropped afterwards."""
    if backend == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        path = VAR / f"mail-{uuid.uuid4().hex[:8]}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from bench.serving import postgres_schema

    with postgres_schema("bench_mail") as url:
        yield url


def invitation_file(rows: int) -> bytes:
    """A CSV of `rows` invitations: e-mail, role, organisation, display name."""
    lines = ["email;role;organisation;display_name"]
    lines += [
        f"agent{n:05d}@bench.invalid;contributor;{ORGANISATION};Agent {n} (banc d’essai)"
        for n in range(rows)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def contribution_file(rows: int, label: str) -> bytes:
    """A CSV of `rows` new contributions, titled after `label` so that two
    files never repeat each other (a repeat would be « unchanged »)."""
    header = "proposal;title;status;progress;start_date;partner_country;budget_eur\r\n"
    lines = [
        f"{n % 20 + 1};Action {label} {n};engagee;{n % 100};01/03/2025;SN;{n},50\r\n"
        for n in range(rows)
    ]
    return (header + "".join(lines)).encode("utf-8")


def _outbox(engine) -> Counter:
    from sqlalchemy import func, select

    from tracker.db.engine import reading
    from tracker.db.models import OutboxMessage

    with reading(engine) as session:
        return Counter(
            dict(
                session.execute(
                    select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                ).all()
            )
        )


def _import(engine, rows: int, label: str) -> tuple[float, int]:
    """One bulk import of `rows` contributions submitted at once, by the
    demonstration contributor: seconds, and the messages it queued."""
    from tracker.accounts import queries as account_queries
    from tracker.contributions import importer
    from tracker.db.unit_of_work import transaction

    content = contribution_file(rows, label)
    before = sum(_outbox(engine).values())
    started = time.perf_counter()
    with transaction(engine) as session:
        actor = account_queries.actor_for(account_queries.get_account(session, CONTRIBUTOR))
        report = importer.import_contributions(session, actor, content, f"{label}.csv", submit=True)
    seconds = time.perf_counter() - started
    assert report.ok and report.submitted == rows, (report.problems[:3], report.submitted)
    return seconds, sum(_outbox(engine).values()) - before


def _secretariat_choice(engine, choice: str, emails: list[str] | None = None) -> list[str]:
    """Every secretariat account (or those of `emails`) chooses how it hears
    of submissions (`choice`: at once, or « not at all ») on its settings, the
    action a person's own settings page calls; their addresses."""
    from tracker.accounts import actions as accounts
    from tracker.accounts import queries as account_queries
    from tracker.db.engine import reading
    from tracker.mail import notifications
    from tracker.mail.rules import SubmissionMail

    with reading(engine) as session:
        found = (
            [account_queries.get_account(session, e) for e in emails]
            if emails is not None
            else notifications.secretariat(session, SubmissionMail.IMMEDIATE)
        )
        people = [(account_queries.actor_for(a), a.notify_reviews, a.language) for a in found]
    for actor, notify_reviews, language in people:
        accounts.set_preferences(
            engine,
            actor,
            notify_reviews=notify_reviews,
            language=language,
            submission_mail=choice,
            origin="bench",
        )
    return [actor.email for actor, _, _ in people]


def mail_figures(url: str, rows: int, port: int | None, repeats: int = 3) -> dict[str, object]:
    """The figures of one backend (see the module's docstring)."""
    from email.utils import parseaddr

    from tests.smtp import smtp_server
    from tracker.db.engine import make_engine
    from tracker.domain.permissions import SYSTEM
    from tracker.mail import sender
    from tracker.mail.rules import SubmissionMail
    from tracker.operations.invitation_file import invite_file
    from tracker.operations.seed import prepare_database

    engine = make_engine(url)
    figures: dict[str, object] = {}
    try:
        prepare_database(engine, demo=True)
        # Python imports its modules once per process: a small import first,
        # so that neither of the two timed ones pays for it.
        _import(engine, 10, "échauffement")

        before = sum(_outbox(engine).values())
        content = invitation_file(rows)
        started = time.perf_counter()
        report = invite_file(engine, SYSTEM, content, "invitations.csv", origin="bench")
        figures["invite_s"] = time.perf_counter() - started
        assert report.ok, report.problems[:3]
        figures["invited"] = len(report.invited)
        figures["invite_queued"] = sum(_outbox(engine).values()) - before

        # With and without, in turns (the table grows by `rows` each time):
        # the median time of `repeats` imports each, and what each queued.
        on, off, on_queued, off_queued = [], [], set(), set()
        secretariat: list[str] = []
        for turn in range(repeats):
            seconds, queued = _import(engine, rows, f"avec {turn}")
            on.append(seconds)
            on_queued.add(queued)
            secretariat = _secretariat_choice(engine, SubmissionMail.OFF)
            seconds, queued = _import(engine, rows, f"sans {turn}")
            off.append(seconds)
            off_queued.add(queued)
            _secretariat_choice(engine, SubmissionMail.IMMEDIATE, secretariat)
        figures["import_on_s"] = statistics.median(on)
        figures["import_off_s"] = statistics.median(off)
        figures["import_on_queued"] = max(on_queued) if len(on_queued) == 1 else -1
        figures["import_off_queued"] = max(off_queued) if len(off_queued) == 1 else -1
        figures["opted_out"] = len(secretariat)

        queued = _outbox(engine)["queued"]
        figures["queued_before_send"] = queued
        with tempfile.TemporaryDirectory() as tmp, smtp_server(Path(tmp), port=port) as server:
            saved = {k: os.environ.get(k) for k in ("TRACKER_SMTP_URL", "TRACKER_SMTP_CA_FILE")}
            os.environ["TRACKER_SMTP_URL"] = server.url
            os.environ["TRACKER_SMTP_CA_FILE"] = server.ca_file
            try:
                started = time.perf_counter()
                rounds = 0
                while time.perf_counter() - started < SEND_TIMEOUT:
                    done = sender.send_due(engine)
                    rounds += 1
                    if done.claimed == 0:
                        break
                seconds = time.perf_counter() - started
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
            received = list(server.inbox.received)
        states = _outbox(engine)
        ids = Counter(r.message["Message-ID"] for r in received)
        figures.update(
            send_s=seconds,
            send_rounds=rounds,
            sent=states["sent"],
            failed=states["failed"],
            left_queued=states["queued"],
            received=len(received),
            distinct_message_ids=len(ids),
            received_twice=sum(1 for n in ids.values() if n > 1),
            invitations_received=sum(r.rcpt_tos[0].endswith("@bench.invalid") for r in received),
            recipients_ok=all(
                parseaddr(r.rcpt_tos[0])[1] == parseaddr(str(r.message["To"]))[1] for r in received
            ),
        )
        figures["per_second"] = len(received) / seconds if seconds else float("nan")
    finally:
        engine.dispose()
    return figures


def targets(backend: str, f: dict[str, object], rows: int) -> list[tuple[str, str, str, str]]:
    """(backend, target, figure, result): the issue sets no number for these,
    so they are « measured »; one sanity target each."""
    if "error" in f:
        return [(backend, "mail bench", str(f["error"]), "MISSED")]
    delivered = (
        f["received"] == f["queued_before_send"] == f["sent"]
        and f["distinct_message_ids"] == f["received"]
        and f["left_queued"] == 0
        and f["failed"] == 0
        and f["recipients_ok"]
        and f["invitations_received"] == f["invite_queued"]
    )
    return [
        (
            backend,
            f"invitation file of {rows:,} rows, one call",
            f"{f['invite_s']:.2f} s, {f['invite_queued']:,} queued",
            "measured",
        ),
        (
            backend,
            f"{rows:,} invitations queued",
            f"{f['invite_queued']:,}",
            "met" if f["invite_queued"] == rows else "MISSED",
        ),
        (
            backend,
            f"import of {rows:,} submitted, secretariat told at once (median)",
            f"{f['import_on_s']:.2f} s, {f['import_on_queued']} queued",
            "measured",
        ),
        (
            backend,
            f"import of {rows:,} submitted, {f['opted_out']} accounts opted out (median)",
            f"{f['import_off_s']:.2f} s, {f['import_off_queued']} queued",
            "measured",
        ),
        (
            backend,
            "import: one message per secretariat account, none opted out",
            f"{f['import_on_queued']} and {f['import_off_queued']}",
            "met"
            if f["import_on_queued"] == f["opted_out"] and f["import_off_queued"] == 0
            else "MISSED",
        ),
        (
            backend,
            "delivery to the local SMTP server (STARTTLS, login)",
            f"{f['per_second']:.0f} messages/s ({f['received']:,} in {f['send_s']:.1f} s)",
            "measured",
        ),
        (
            backend,
            "every queued message delivered once",
            f"{f['received']:,} received of {f['queued_before_send']:,} queued "
            f"({f['invitations_received']:,} invitations), {f['received_twice']} twice",
            "met" if delivered else "MISSED",
        ),
    ]


def mail_report(backends: list[str], rows: int = 1000, port: int | None = None, repeats: int = 3):
    """Every backend's figures and targets: (figures table, targets table, context)."""
    import pandas as pd

    began, load_before = time.perf_counter(), os.getloadavg()
    measured: dict[str, dict[str, object]] = {}
    checks = []
    for backend in backends:
        print(f"— mail, {backend}: {rows:,} invitations, two imports of {rows:,}…", flush=True)
        try:
            with fresh_database(backend) as url:
                measured[backend] = mail_figures(url, rows, port, repeats)
        except Exception as error:  # reported; the other backend still runs
            measured[backend] = {"error": f"{type(error).__name__}: {error}"[:200]}
        print(f"  {measured[backend]}", flush=True)
        checks += targets(backend, measured[backend], rows)
    elapsed, load_after = time.perf_counter() - began, os.getloadavg()
    figures = pd.DataFrame(measured).to_string(
        float_format=lambda v: f"{v:.3f}" if isinstance(v, float) else v
    )
    verdict = pd.DataFrame(checks, columns=["backend", "target", "measured", "result"])
    context = (
        f"mail bench in {elapsed / 60:.1f} min; load average "
        f"{load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} at the start, "
        f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} at the end"
    )
    return figures, verdict.to_string(index=False), context


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--port", type=int, help="the SMTP server's port (else a free one)")
    parser.add_argument("--repeats", type=int, default=3, help="imports with, and without")
    args = parser.parse_args()
    report = mail_report(args.backends.split(","), args.rows, args.port, args.repeats)
    print(*report, sep="\n\n")
