"""The working group's session cycle at scale, for `make bench`: one save of
the grid updating all twenty proposals, and the agenda (with the minutes'
papers) of the next session, on a generated database.

    python bench/sessions.py URL   # prints the figures (bench/run.py calls session_times)
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

TARGETS = {"grid_save_20": 1.0, "agenda": 2.0}  # seconds


def session_times(url: str, repeats: int = 3) -> dict[str, float]:
    """Median seconds of: saving the grid of a held session with a change on
    each of the twenty proposals (one transaction, two fields each), and
    reading the papers of a planned session (its agenda proposed from the
    data: changes, alerts, contributions validated since, decisions)."""
    from sqlalchemy import select

    import tracker.briefings.pdf  # noqa: F401 (imported once per process, not timed)
    from tracker.briefings.session_documents import load_papers, render
    from tracker.db.engine import make_engine, reading
    from tracker.db.models import Proposal, ReviewSession
    from tracker.domain.permissions import SYSTEM
    from tracker.review_sessions import actions as review

    engine = make_engine(url)
    try:
        today = date.today()
        with reading(engine) as session:
            taken = set(session.scalars(select(ReviewSession.held_on)))

        def free(start: date, step: int) -> date:
            while start in taken:
                start += timedelta(days=step)
            taken.add(start)
            return start

        saves, agendas, documents = [], [], []
        for repeat in range(repeats):
            held = review.record_review_session(
                engine, SYSTEM, free(today, -1), f"Banc d'essai {repeat}"
            )
            with reading(engine) as session:
                current = {
                    p.number: (p.progress, p.status, p.version)
                    for p in session.query(Proposal).all()
                }
            rows = {
                number: {"next_steps_fr": f"Point d'étape du banc d'essai {held.id}"}
                for number in current
            }
            started = time.perf_counter()
            done = review.record_session_updates(
                engine,
                SYSTEM,
                held.id,
                rows,
                versions={n: v for n, (_, _, v) in current.items()},
            )
            saves.append(time.perf_counter() - started)
            assert len(done.changed) == len(current), done
            planned = review.plan_session(
                engine, SYSTEM, free(today + timedelta(days=7), 1), f"Prochaine {repeat}"
            )
            started = time.perf_counter()
            with reading(engine) as session:
                papers = load_papers(session, planned.id, "fr")
            agendas.append(time.perf_counter() - started)
            started = time.perf_counter()
            render(papers, "agenda", "pdf")
            documents.append(time.perf_counter() - started)
        return {
            "grid_save_20": statistics.median(saves),
            "agenda": statistics.median(agendas),
            "agenda_pdf": statistics.median(documents),
        }
    finally:
        engine.dispose()


def verdicts(figures: dict[str, float]) -> list[tuple[str, str, str]]:
    return [
        (
            f"{name} ≤ {limit:g} s",
            f"{figures[name]:.2f} s",
            "met" if figures[name] <= limit else "MISSED",
        )
        for name, limit in TARGETS.items()
        if name in figures
    ]


if __name__ == "__main__":
    found = session_times(sys.argv[1])
    print(found)
    for line in verdicts(found):
        print("\t".join(line))
