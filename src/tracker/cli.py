"""Command line: `python -m tracker --help`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker import __version__
from tracker.db.engine import current_revision, make_engine, transaction, upgrade
from tracker.errors import TrackerError
from tracker.i18n import describe, language
from tracker.services import queries
from tracker.services.exports import to_csv_bytes, to_json_bytes, to_xlsx_bytes
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
    return parser


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(data)
        print(f"{out} ({len(data)} octets)", file=sys.stderr)


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
    except TrackerError as error:
        print(describe(error, lang), file=sys.stderr)
        return 1
    return 0
