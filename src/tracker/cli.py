"""Command line: `python -m tracker --help`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from tracker import __version__
from tracker.db.engine import current_revision, make_engine, transaction, upgrade
from tracker.domain.vocabulary import LANGUAGES, Status, Theme
from tracker.errors import TrackerError
from tracker.i18n import describe, language
from tracker.services import queries
from tracker.services.actors import SYSTEM
from tracker.services.aggregates import ProposalFilter
from tracker.services.backup import backup, restore
from tracker.services.documents import FORMATS, render
from tracker.services.documents.content import load_briefing
from tracker.services.exports import to_csv_bytes, to_json_bytes, to_xlsx_bytes
from tracker.services.review_sessions import record_review_session, review_sessions_frame
from tracker.services.seed import prepare_database
from tracker.services.views import machine_table, organisation_names, proposals_table


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tracker",
        description="Suivi des vingt propositions « villes intelligentes partagées » "
        "(MEAE / CNCD, 2018). Base : TRACKER_DATABASE_URL, sinon var/tracker.db.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--lang", default="fr", help="fr (par défaut) ou en")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="schéma de la base").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="appliquer les migrations (Alembic)")
    db.add_parser("current", help="afficher la révision du schéma")

    seed = commands.add_parser("seed", help="charger le catalogue (idempotent)")
    seed.add_argument(
        "--demo",
        action="store_true",
        help="charger aussi les données de démonstration (étiquetées comme telles)",
    )

    proposals = commands.add_parser("proposals", help="les propositions").add_subparsers(
        dest="proposals_command", required=True
    )
    export = proposals.add_parser("export", help="exporter les propositions")
    export.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
    export.add_argument("--out", type=Path, help="fichier de sortie (par défaut : sortie standard)")

    briefing = commands.add_parser(
        "briefing", help="note de synthèse : PDF, PowerPoint, Excel ou CSV"
    )
    briefing.add_argument("--format", choices=list(FORMATS), required=True)
    briefing.add_argument("--out", type=Path, required=True, help="fichier à écrire")
    briefing.add_argument(
        "--as-of", type=_day, help="situation à cette date AAAA-MM-JJ (par défaut : aujourd’hui)"
    )
    briefing.add_argument(
        "--since",
        type=_day,
        help="comparer avec cette date (par défaut : la dernière séance de suivi enregistrée)",
    )
    briefing.add_argument("--theme", action="append", default=[], choices=[x.value for x in Theme])
    briefing.add_argument(
        "--status", action="append", default=[], choices=[x.value for x in Status]
    )
    briefing.add_argument("--owner", action="append", default=[], help="code d’organisation")
    briefing.add_argument("--lang", dest="briefing_lang", choices=list(LANGUAGES))

    sessions = commands.add_parser(
        "sessions", help="séances de suivi du groupe de travail de la CNCD"
    ).add_subparsers(dest="sessions_command", required=True)
    add = sessions.add_parser("add", help="enregistrer une séance")
    add.add_argument("--date", type=_day, required=True, help="AAAA-MM-JJ")
    add.add_argument("--label", required=True, help="intitulé de la séance")
    sessions.add_parser("list", help="lister les séances")

    save = commands.add_parser("backup", help="sauvegarder toute la base dans une archive zip")
    save.add_argument("file", type=Path)
    load = commands.add_parser(
        "restore", help="restaurer une archive (base vide, sauf --force) en une transaction"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--force", action="store_true", help="remplacer le contenu existant")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ : {text!r}") from None


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(data)
        print(f"{out} ({len(data)} octets)", file=sys.stderr)


def _briefing(engine, args: argparse.Namespace, lang: str) -> None:
    upgrade(engine)
    wanted = ProposalFilter(
        themes=tuple(args.theme), statuses=tuple(args.status), owners=tuple(args.owner)
    )
    briefing = load_briefing(
        engine, as_of=args.as_of or date.today(), since=args.since, wanted=wanted, lang=lang
    )
    _write(render(briefing, args.format), args.out)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = language(args.lang)
    engine = make_engine()
    try:
        if args.command == "db":
            if args.db_command == "upgrade":
                upgrade(engine)
            print(current_revision(engine))
        elif args.command == "seed":
            report = prepare_database(engine, demo=args.demo)
            print(
                f"organisations: {report.organisations}, propositions: {report.proposals}, "
                f"changements de démonstration: {report.demo_changes}"
            )
        elif args.command == "proposals":
            upgrade(engine)
            with transaction(engine) as session:
                frame = queries.proposals_frame(session)
                names = organisation_names(queries.organisations_frame(session))
            if args.format == "json":
                data = to_json_bytes(machine_table(frame))
            elif args.format == "xlsx":
                data = to_xlsx_bytes(
                    {
                        "Propositions" if lang == "fr" else "Proposals": proposals_table(
                            frame, names, lang
                        )
                    }
                )
            else:
                data = to_csv_bytes(proposals_table(frame, names, lang))
            _write(data, args.out)
        elif args.command == "briefing":
            _briefing(engine, args, language(args.briefing_lang or args.lang))
        elif args.command == "sessions":
            upgrade(engine)
            if args.sessions_command == "add":
                with transaction(engine) as session:
                    record_review_session(session, SYSTEM, args.date, args.label)
            with transaction(engine) as session:
                for row in review_sessions_frame(session).itertuples(index=False):
                    print(f"{row.held_on.isoformat()}\t{row.label}\t{row.recorded_by}")
        elif args.command == "backup":
            report = backup(engine, args.file)
            print(f"{args.file} : " + ", ".join(f"{k} {v}" for k, v in report.tables.items()))
        elif args.command == "restore":
            counts = restore(engine, args.file, force=args.force)
            print(", ".join(f"{k} {v}" for k, v in counts.items()))
    except TrackerError as error:
        print(describe(error, lang), file=sys.stderr)
        return 1
    return 0
