"""Every document the tool writes, from the demonstration data, rendered to
PNG pages so that a person can look at them as their readers will:

    .venv/bin/python -m tests.render_documents test-artifacts/after

writes the files (PDF, PPTX, DOCX, XLSX, CSV, the printed figure) into the
folder, converts the office files to PDF with LibreOffice (`soffice`) and
every PDF to one PNG per page with poppler (`pdftoppm -r 60`). The data are
the demonstration's, with the dated contributions of `tests/contribution_story`
and two review sessions with their updates and decisions (made here through
the actions, in a database of its own).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from tests import contribution_story as story
from tests.test_permissions import actor_of
from tracker.briefings.content import load_briefing, themes_shown
from tracker.briefings.documents import FORMATS, render
from tracker.briefings.figures import png_bytes, progress_by_theme_figure
from tracker.briefings.session_documents import load_papers
from tracker.briefings.session_documents import render as render_paper
from tracker.briefings.spreadsheets import render_contributions_csv
from tracker.catalogue import queries as catalogue_queries
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.exports import to_csv_bytes, to_xlsx_bytes
from tracker.followup import queries
from tracker.followup.aggregates import ProposalFilter
from tracker.followup.views import organisation_names, proposals_table
from tracker.i18n import t
from tracker.operations.seed import prepare_database
from tracker.review_sessions import actions as review

OFFICE = ("pptx", "docx", "xlsx")


def _sessions(session, today: date) -> int:
    """Two held sessions: June (one decision) and November (updates on eight
    proposals, four decisions, published minutes). The November one's id."""
    reviewer = actor_of(session, "reviewer")
    june = review.record_review_session(
        session, reviewer, date(2026, 6, 1), "Groupe de travail CNCD, 5e séance", today=today
    )
    review.record_decision(
        session,
        reviewer,
        june.id,
        text_fr="Relancer les métropoles sur la plateforme de données",
        text_en="Chase the metropolises about the data platform",
        numbers=[3, 6],
        due_on=date(2026, 9, 1),
    )
    meeting = review.record_review_session(
        session, reviewer, date(2026, 11, 20), "Groupe de travail CNCD, 6e séance", today=today
    )
    at = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    proposals = queries.proposals_frame(session).set_index("number")
    updates = {}
    for number in (1, 2, 4, 5, 7, 9, 11, 14):
        progress = proposals.loc[number, "progress"]
        status = proposals.loc[number, "status"]
        if status in ("engagee", "partiellement_realisee") and progress == progress:
            updates[number] = {
                "progress": min(int(progress) + 10, 95),
                "next_steps_fr": "Point d'étape avec les partenaires au premier trimestre",
            }
    review.record_session_updates(session, reviewer, meeting.id, updates, at=at)
    for text, numbers, due in (
        ("Publier le guide des plateformes territoriales", [6], date(2027, 3, 1)),
        ("Préparer l'appel à manifestation d'intérêt « villes vitrines »", [3], date(2027, 1, 15)),
        ("Associer l'AFD au comité de pilotage de la fondation", [1, 2], None),
        ("Faire le point sur les formations en science des données", [7], date(2027, 6, 30)),
    ):
        review.record_decision(
            session, reviewer, meeting.id, text_fr=text, numbers=numbers, due_on=due
        )
    review.publish_minutes(
        session,
        reviewer,
        meeting.id,
        attendance="CNCD, MEAE (DAECT), France urbaine, Villes Internet",
    )
    return meeting.id


def write_documents(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{work / 'documents.db'}")
    prepare_database(engine, demo=True)
    today = date.today()
    with transaction(engine) as session:
        story.add_story(session)
        meeting = _sessions(session, today)
    written = []

    def out(name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        written.append(path)

    for lang in ("fr", "en"):
        note = load_briefing(
            engine,
            as_of=story.AS_OF,
            since=story.SINCE,
            wanted=ProposalFilter(),
            lang=lang,
        )
        for fmt in FORMATS:
            out(f"note-{lang}.{fmt}", render(note, fmt))
        out(f"note-contributions-{lang}.csv", render_contributions_csv(note))
        out(
            f"figure-{lang}.png",
            png_bytes(progress_by_theme_figure(note.state, themes_shown(note), lang), dpi=100),
        )
        with transaction(engine) as session:
            papers = load_papers(session, meeting, lang, today)
            frame = queries.proposals_frame(session)
            names = organisation_names(catalogue_queries.organisations_frame(session))
        for what in ("agenda", "minutes"):
            for fmt in ("pdf", "docx"):
                out(f"{what}-{lang}.{fmt}", render_paper(papers, what, fmt))
        table = proposals_table(frame, names, lang)
        out(f"proposals-{lang}.csv", to_csv_bytes(table))
        out(f"proposals-{lang}.xlsx", to_xlsx_bytes({t("sheet.proposals", lang): table}))
    engine.dispose()
    shutil.rmtree(work)
    return written


def render_pages(folder: Path) -> list[Path]:
    """Office files to PDF (LibreOffice, into office/<format>/), every PDF to
    PNG pages (poppler) named <file>-<format>-<page>.png in png/."""
    for old in ("office", "png"):
        shutil.rmtree(folder / old, ignore_errors=True)
    profile = Path(tempfile.mkdtemp())
    for fmt in OFFICE:
        files = sorted(folder.glob(f"*.{fmt}"))
        if files:
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder / "office" / fmt),
                    *map(str, files),
                ],
                check=True,
                capture_output=True,
            )
    shutil.rmtree(profile, ignore_errors=True)
    (folder / "png").mkdir(exist_ok=True)
    pages = []
    for pdf in [*folder.glob("*.pdf"), *(folder / "office").glob("*/*.pdf")]:
        origin = "pdf" if pdf.parent == folder else pdf.parent.name
        prefix = folder / "png" / f"{pdf.stem}-{origin}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)], check=True)
        pages += sorted(prefix.parent.glob(prefix.name + "-*.png"))
    return pages


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "test-artifacts/documents")
    written = write_documents(folder)
    pages = render_pages(folder)
    print(f"{len(written)} files, {len(pages)} pages in {folder}/png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
