"""Command line: `python -m tracker --help`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from tracker import __version__, clock, config, logs
from tracker.accounts import actions as accounts
from tracker.accounts import passwords
from tracker.accounts import queries as account_queries
from tracker.accounts.links import invite
from tracker.briefings.content import load_briefing
from tracker.briefings.documents import FORMATS, render
from tracker.briefings.session_documents import load_papers
from tracker.briefings.session_documents import render as render_session_paper
from tracker.briefings.spreadsheets import render_contributions_csv
from tracker.catalogue import actions as catalogue_actions
from tracker.catalogue import queries as catalogue_queries
from tracker.catalogue import wording
from tracker.contributions import actions as contributions
from tracker.contributions import importer, template
from tracker.contributions.files import read_table
from tracker.db.engine import current_revision, make_engine, reading, upgrade
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import SYSTEM, Action, Actor, require
from tracker.domain.vocabulary import (
    LANGUAGES,
    DecisionState,
    Role,
    SessionState,
    Status,
    Theme,
)
from tracker.errors import PermissionDenied, TrackerError, ValidationError
from tracker.exports import to_csv_bytes, to_json_bytes, to_xlsx_bytes
from tracker.followup import queries
from tracker.followup.aggregates import ProposalFilter
from tracker.followup.views import machine_table, organisation_names, proposals_table
from tracker.i18n import describe, language, t
from tracker.mail import actions as mail_actions
from tracker.mail import daily, sender
from tracker.mail import queries as mail_queries
from tracker.opendata import package as opendata
from tracker.operations import synthetic
from tracker.operations.backup import backup, restore
from tracker.operations.invitation_file import invite_file
from tracker.operations.seed import prepare_database
from tracker.review_sessions.actions import (
    hold_session,
    plan_session,
    publish_minutes,
    record_review_session,
)
from tracker.review_sessions.queries import decisions_frame, open_decisions, review_sessions_frame


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
        "--as-of",
        type=_as_of,
        help="situation à cette date AAAA-MM-JJ, de l’adoption du rapport (2018-07-05) "
        "à aujourd’hui (par défaut : aujourd’hui)",
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
    briefing.add_argument(
        "--contributions",
        action="store_true",
        help="avec --format csv : les contributions validées entre les deux dates "
        "(au lieu des propositions)",
    )

    sessions = commands.add_parser(
        "sessions", help="séances de suivi du groupe de travail de la CNCD"
    ).add_subparsers(dest="sessions_command", required=True)
    add = sessions.add_parser(
        "add", help="une séance : prévue si la date est à venir (ou --planned), sinon tenue"
    )
    add.add_argument("--date", type=_day, required=True, help="AAAA-MM-JJ")
    add.add_argument("--label", required=True, help="intitulé de la séance")
    add.add_argument("--format", dest="session_format", choices=["in_person", "video"])
    add.add_argument("--planned", action="store_true", help="prévue, même à une date passée")
    listed = sessions.add_parser("list", help="lister les séances")
    listed.add_argument("--format", dest="list_format", choices=["text", "json"], default="text")
    hold = sessions.add_parser("hold", help="marquer une séance prévue comme tenue")
    hold.add_argument("id", type=int)
    publish = sessions.add_parser("publish", help="publier le compte rendu d'une séance tenue")
    publish.add_argument("id", type=int)
    publish.add_argument("--attendance", default="", help="les présents")
    for what, formats, text in (
        ("agenda", ["pdf", "docx", "json"], "l'ordre du jour d'une séance"),
        ("minutes", ["pdf", "docx"], "le compte rendu d'une séance"),
    ):
        paper = sessions.add_parser(what, help=text)
        paper.add_argument("id", type=int)
        paper.add_argument("--format", dest="paper_format", choices=formats, default=formats[0])
        paper.add_argument("--out", type=Path, help="fichier (sinon la sortie standard)")
    for command in (hold, publish):
        command.add_argument(
            "--as", dest="as_email", help="compte du secrétariat (sinon : système)"
        )

    decisions = commands.add_parser(
        "decisions", help="le relevé de décisions du groupe de travail"
    ).add_subparsers(dest="decisions_command", required=True)
    register = decisions.add_parser("list", help="lister les décisions")
    register.add_argument("--open", action="store_true", help="les décisions ouvertes seulement")
    register.add_argument(
        "--format", dest="list_format", choices=["text", "json", "csv"], default="text"
    )

    save = commands.add_parser("backup", help="sauvegarder toute la base dans une archive zip")
    save.add_argument("file", type=Path)
    load = commands.add_parser(
        "restore", help="restaurer une archive (base vide, sauf --force) en une transaction"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--force", action="store_true", help="remplacer le contenu existant")

    demo = commands.add_parser("demo", help="données de démonstration").add_subparsers(
        dest="demo_command", required=True
    )
    generate = demo.add_parser(
        "generate",
        help="une base synthétique déterministe (étiquetée démonstration), écrite en masse",
    )
    generate.add_argument("--organisations", type=int, default=1_000)
    generate.add_argument("--contributions", type=int, default=10_000)
    generate.add_argument("--history", type=int, default=10_000)
    generate.add_argument("--seed", type=int, default=2018)

    users = commands.add_parser("users", help="les comptes").add_subparsers(
        dest="users_command", required=True
    )
    add = users.add_parser(
        "add",
        help="créer un compte ; mot de passe lu sur l’entrée standard, sinon généré et affiché une fois",
    )
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, choices=["contributor", "reviewer", "administrator"])
    add.add_argument("--organisation", help="SIREN ou code de l’organisation (contributeurs)")
    add.add_argument("--name", required=True, help="nom affiché (obligatoire ; pas une adresse)")
    invite = users.add_parser(
        "invite",
        help="inviter une personne (ou un fichier CSV/XLSX, tout ou rien) : "
        "elle reçoit un lien pour choisir son mot de passe",
    )
    invite.add_argument("--email")
    invite.add_argument("--role", choices=["contributor", "reviewer", "administrator"])
    invite.add_argument("--organisation", help="SIREN ou code de l’organisation (contributeurs)")
    invite.add_argument("--lang", dest="invite_lang", choices=list(LANGUAGES), default="fr")
    invite.add_argument("--name", default="", help="nom affiché (obligatoire sans --file)")
    invite.add_argument(
        "--file",
        type=Path,
        help="CSV ou XLSX : email, role, organisation, display_name[, language]",
    )
    users.add_parser("list", help="lister les comptes")
    disable = users.add_parser("disable", help="désactiver un compte")
    disable.add_argument("email")

    contrib = commands.add_parser("contributions", help="les contributions").add_subparsers(
        dest="contributions_command", required=True
    )
    load = contrib.add_parser("import", help="importer un fichier CSV ou XLSX (tout ou rien)")
    load.add_argument("file", type=Path)
    load.add_argument("--as", dest="as_email", required=True, help="compte au nom duquel importer")
    load.add_argument("--dry-run", action="store_true", help="vérifier sans rien enregistrer")
    load.add_argument("--submit", action="store_true", help="soumettre les contributions importées")
    load.add_argument(
        "--accept-duplicates",
        action="store_true",
        help="importer aussi les doublons probables (même proposition, titre et date de début)",
    )
    out = contrib.add_parser("export", help="exporter (au format d’import pour csv et xlsx)")
    out.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
    out.add_argument("--out", type=Path, help="fichier de sortie (par défaut : sortie standard)")
    out.add_argument(
        "--as",
        dest="as_email",
        help="contributeur : celles de son organisation, dans tous les états, avec leur contact ; "
        "relecteur ou administrateur : toutes (sans --as : les contributions publiées)",
    )
    model = contrib.add_parser(
        "template", help="le modèle d’import (XLSX : listes déroulantes et mode d’emploi)"
    )
    model.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    model.add_argument("--out", type=Path, help="fichier de sortie (par défaut : sortie standard)")
    model.add_argument("--as", dest="as_email", help="contributeur : sa seule organisation")
    check = contrib.add_parser("validate", help="valider une contribution soumise")
    check.add_argument("id", type=int)
    check.add_argument("--as", dest="as_email", required=True)
    check.add_argument("--comment", default="")

    mail = commands.add_parser("mail", help="le courriel : boîte d’envoi").add_subparsers(
        dest="mail_command", required=True
    )
    send = mail.add_parser("send", help="envoyer les messages dus (TRACKER_SMTP_URL)")
    send.add_argument("--loop", action="store_true", help="continuer jusqu’à l’arrêt (SIGTERM)")
    outbox = mail.add_parser("outbox", help="les messages en attente, envoyés et en échec")
    outbox.add_argument("--format", dest="outbox_format", choices=["text", "json"], default="text")
    digest = mail.add_parser(
        "digest",
        help="mettre en file les résumés du jour et les rappels avant les séances (jamais deux fois)",
    )
    digest.add_argument(
        "--date",
        dest="digest_date",
        type=_day,
        help="AAAA-MM-JJ : le jour résumé (par défaut : la veille)",
    )
    reminders = mail.add_parser(
        "reminders", help="le nombre de jours avant une séance où partent ses rappels"
    )
    reminders.add_argument("--days", type=int, help="nouveau nombre de jours (0 : aucun rappel)")
    reminders.add_argument("--as", dest="as_email", help="compte administrateur (sinon : système)")
    catalogue = commands.add_parser(
        "catalogue", help="le libellé officiel des vingt propositions"
    ).add_subparsers(dest="catalogue_command", required=True)
    wording_out = catalogue.add_parser("export", help="exporter le catalogue (CSV ou XLSX)")
    wording_out.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    wording_out.add_argument(
        "--out", type=Path, help="fichier de sortie (par défaut : sortie standard)"
    )
    wording_in = catalogue.add_parser(
        "import", help="charger le libellé depuis un fichier (les numéros 1 à 20, tout ou rien)"
    )
    wording_in.add_argument("file", type=Path)
    wording_in.add_argument("--as", dest="as_email", required=True, help="compte administrateur")
    wording_in.add_argument(
        "--dry-run", action="store_true", help="montrer chaque changement sans rien enregistrer"
    )

    opendata_parser = commands.add_parser(
        "opendata", help="données ouvertes : paquet de données Frictionless"
    ).add_subparsers(dest="opendata_command", required=True)
    export_package = opendata_parser.add_parser(
        "export", help="écrire datapackage.json et les fichiers CSV dans un dossier"
    )
    export_package.add_argument("folder", type=Path, help="dossier à écrire (créé au besoin)")
    return parser


def _as_of(text: str) -> date | None:
    """`--as-of`, by the one rule (`tracker.clock.parse_as_of`): a malformed,
    future or too early date stops the command with status 2 and the named
    error's message (in French, the language of the command's help)."""
    try:
        return clock.parse_as_of(text, clock.today(), "--as-of")
    except ValidationError as error:
        raise argparse.ArgumentTypeError(describe(error, "fr")) from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ : {text!r}") from None


CLI_ACTOR = Actor("ligne de commande", Role.SYSTEM, email="cli")


def _password_from_stdin() -> str | None:
    """The first line of standard input when something is piped in."""
    if sys.stdin is None or sys.stdin.isatty():
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    return line or None


def _actor(session, email: str) -> Actor:
    account = account_queries.get_account(session, email)
    if not account.active:
        raise PermissionDenied("auth.failed")
    return account_queries.actor_for(account)


def _sessions(args, engine, lang: str) -> int:
    upgrade(engine)
    command = args.sessions_command
    if command in ("agenda", "minutes"):
        with reading(engine) as session:
            papers = load_papers(session, args.id, lang)
        _write(render_session_paper(papers, command, args.paper_format), args.out)
        return 0
    actor = SYSTEM
    if getattr(args, "as_email", None):
        with reading(engine) as session:
            actor = _actor(session, args.as_email)
    if command == "add":
        if args.planned or args.date > clock.today():
            plan_session(
                engine, actor, args.date, args.label, format=args.session_format, origin="cli"
            )
        else:
            record_review_session(
                engine, actor, args.date, args.label, format=args.session_format, origin="cli"
            )
    elif command == "hold":
        hold_session(engine, actor, args.id, origin="cli")
    elif command == "publish":
        publish_minutes(engine, actor, args.id, attendance=args.attendance, origin="cli")
    with reading(engine) as session:
        frame = review_sessions_frame(session)
    if command == "list" and args.list_format == "json":
        records = [
            {
                "id": int(row.id),
                "date": row.held_on.isoformat(),
                "title": row.label,
                "format": row.format,
                "state": row.state,
            }
            for row in frame.itertuples(index=False)
        ]
        _write(_json(records), None)
        return 0
    for row in frame.itertuples(index=False):
        state = SessionState(row.state).label(lang)
        print(f"{row.id}\t{row.held_on.isoformat()}\t{state}\t{row.label}")
    return 0


def _decisions(args, engine, lang: str) -> int:
    upgrade(engine)
    with reading(engine) as session:
        frame = decisions_frame(session)
    if args.open:
        frame = open_decisions(frame, clock.today())
    records = [
        {
            "id": int(row.id),
            "session": int(row.session_id),
            "session_date": row.session_held_on.isoformat(),
            "text_fr": row.text_fr,
            "text_en": row.text_en,
            "proposals": list(row.numbers),
            "owner": row.owner,
            "due_on": row.due_on.isoformat() if row.due_on else None,
            "state": row.state,
            "state_changed_on": row.state_changed_on.isoformat(),
        }
        for row in frame.itertuples(index=False)
    ]
    if args.list_format == "json":
        _write(_json(records), None)
    elif args.list_format == "csv":
        flat = [{**r, "proposals": " ".join(map(str, r["proposals"]))} for r in records]
        _write(to_csv_bytes(pd.DataFrame.from_records(flat, columns=DECISION_FIELDS)), None)
    else:
        for r in records:
            state = DecisionState(r["state"]).label(lang)
            print(f"{r['id']}\t{r['due_on'] or '-'}\t{state}\t{r['text_fr']}")
    return 0


def _catalogue(args, engine, lang: str) -> int:
    upgrade(engine)
    if args.catalogue_command == "export":
        with reading(engine) as session:
            frame = wording.wording_frame(session)
        _write(wording.to_file(frame, args.format), args.out)
        return 0
    table = read_table(args.file.read_bytes(), args.file.name)
    with reading(engine) as session:
        actor = _actor(session, args.as_email)
        require(actor, Action.EDIT_CATALOGUE)
        preview = wording.preview_wording(session, table.header, table.rows, table.lines)
    for problem in preview.problems:
        print(describe(problem, lang), file=sys.stderr)
    if not preview.ok:
        print(t("wording.refused", lang, count=len(preview.problems)), file=sys.stderr)
        return 1
    for change in preview.changes:
        print(
            t(
                "wording.change_line",
                lang,
                number=change.number,
                field=t(f"field.{change.field}", lang),
                old=change.old[:80] or "—",
                new=change.new[:80] or "—",
            )
        )
    if args.dry_run:
        print(
            t(
                "wording.checked",
                lang,
                changes=len(preview.changes),
                proposals=len(preview.proposals),
            )
        )
        return 0
    done = catalogue_actions.import_wording(engine, actor, table.header, table.rows, table.lines)
    print(t("wording.loaded", lang, changes=len(done.changes), proposals=len(done.proposals)))
    return 0


def _json(records: list[dict]) -> bytes:
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


DECISION_FIELDS = [
    "id",
    "session",
    "session_date",
    "text_fr",
    "text_en",
    "proposals",
    "owner",
    "due_on",
    "state",
    "state_changed_on",
]


def _users(args, engine, lang: str) -> int:
    upgrade(engine)
    if args.users_command == "add":
        given = _password_from_stdin()
        password = given or passwords.generate_password()
        accounts.create_account(
            engine,
            CLI_ACTOR,
            email=args.email,
            role=args.role,
            password=password,
            organisation=args.organisation,
            display_name=args.name,
            origin="cli",
        )
        print(args.email.strip().lower())
        if given is None:
            print(t("auth.generated_password", lang, password=password))
    elif args.users_command == "invite":
        return _invite(args, engine, lang)
    elif args.users_command == "list":
        with reading(engine) as session:
            frame = account_queries.accounts_frame(session, CLI_ACTOR)
        for row in frame.itertuples():
            state = "actif" if row.active else "désactivé"
            print(f"{row.email}\t{row.role}\t{row.organisation or '-'}\t{state}")
    elif args.users_command == "disable":
        accounts.set_active(engine, CLI_ACTOR, args.email, False, origin="cli")
        print(t("admin.account_changed", lang, email=args.email))
    return 0


def _invite(args, engine, lang: str) -> int:
    if args.file is not None:
        report = invite_file(
            engine, CLI_ACTOR, args.file.read_bytes(), args.file.name, lang=lang, origin="cli"
        )
        for line, message in report.problems:
            print(
                t("import.problem", lang, line=line, column="-", message=message), file=sys.stderr
            )
        if not report.ok:
            print(t("import.failed", lang, count=len(report.problems)), file=sys.stderr)
            return 1
        for email in report.invited:
            print(email)
        return 0
    if not args.email or not args.role or not args.name:
        print(t("cli.invite_needs", lang), file=sys.stderr)
        return 2
    account = invite(
        engine,
        CLI_ACTOR,
        email=args.email,
        role=args.role,
        organisation=args.organisation,
        lang=args.invite_lang,
        display_name=args.name,
        origin="cli",
    )
    print(account.email)
    return 0


def _mail(args, engine, lang: str) -> int:
    upgrade(engine)
    if args.mail_command == "send":
        if not config.smtp_url():
            print(t("cli.no_smtp", lang), file=sys.stderr)
            return 2
        if args.loop:
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            try:
                sender.run(engine, stop)
            except KeyboardInterrupt:
                stop.set()
            return 0
        done = sender.send_due(engine)
        print(t("cli.mail_sent", lang, sent=done.sent, retried=done.retried, failed=done.failed))
        return 0
    if args.mail_command == "digest":
        done = daily.queue_due(engine, day=args.digest_date)
        print(t("cli.mail_scheduled", lang, digests=done.digests, reminders=done.reminders))
        return 0
    if args.mail_command == "reminders":
        if args.days is None:
            with reading(engine) as session:
                print(mail_actions.reminder_days(session))
            return 0
        actor = CLI_ACTOR
        if args.as_email:
            with reading(engine) as session:
                actor = _actor(session, args.as_email)
        days = mail_actions.set_reminder_days(engine, actor, args.days, origin="cli")
        print(t("reminders.saved", lang, days=days))
        return 0
    with reading(engine) as session:
        frame = mail_queries.outbox_frame(session, CLI_ACTOR, limit=100_000)
    if args.outbox_format == "json":
        records = [
            {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.items()}
            for r in frame.astype(object).where(frame.notna(), None).to_dict("records")
        ]
        _write(_json(records), None)
        return 0
    for row in frame.itertuples():
        print(f"{row.id}\t{row.state}\t{row.attempts}\t{row.recipient}\t{row.subject}")
    return 0


def _contributions(args, engine, lang: str) -> int:
    upgrade(engine)
    if args.contributions_command == "import":
        content = args.file.read_bytes()
        with reading(engine) as session:
            actor = _actor(session, args.as_email)
        report = importer.import_contributions(
            engine,
            actor,
            content,
            args.file.name,
            lang=lang,
            dry_run=args.dry_run,
            submit=args.submit,
            confirm_duplicates=args.accept_duplicates,
        )
        for problem in report.problems:
            if problem.line:
                message = t(
                    "import.problem",
                    lang,
                    line=problem.line,
                    column=problem.heading or problem.column or "-",
                    message=problem.message,
                )
            else:
                message = t("import.file_problem", lang, message=problem.message)
            print(message, file=sys.stderr)
        if not report.ok:
            print(t("import.failed", lang, count=len(report.problems)), file=sys.stderr)
            return 1
        key = "import.done" if report.written else "import.checked"
        print(
            t(
                key,
                lang,
                rows=report.rows,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
            )
        )
        return 0
    if args.contributions_command == "template":
        with reading(engine) as session:
            actor = _actor(session, args.as_email) if args.as_email else None
            build = template.template_xlsx if args.format == "xlsx" else template.template_csv
            data = build(session, actor, lang)
        _write(data, args.out)
        return 0
    if args.contributions_command == "validate":
        with reading(engine) as session:
            actor = _actor(session, args.as_email)
        contributions.validate(engine, actor, args.id, comment=args.comment, origin="cli")
        print(t("review.validated", lang, id=args.id))
        return 0
    with transaction(engine) as session:
        actor = _actor(session, args.as_email) if args.as_email else None
        frame = importer.export_for(session, actor)
    if args.format == "json":
        data = to_json_bytes(frame.astype(object).map(_plain))
    elif args.format == "xlsx":
        data = importer.to_import_xlsx(frame)
    else:
        data = importer.to_import_csv(frame)
    _write(data, args.out)
    return 0


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


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
        engine, as_of=args.as_of or clock.today(), since=args.since, wanted=wanted, lang=lang
    )
    if args.contributions and args.format == "csv":
        _write(render_contributions_csv(briefing), args.out)
    else:
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
                names = organisation_names(catalogue_queries.organisations_frame(session))
            if args.format == "json":
                data = to_json_bytes(machine_table(frame))
            elif args.format == "xlsx":
                data = to_xlsx_bytes(
                    {t("label.proposals", lang): proposals_table(frame, names, lang)}
                )
            else:
                data = to_csv_bytes(proposals_table(frame, names, lang))
            _write(data, args.out)
        elif args.command == "briefing":
            _briefing(engine, args, language(args.briefing_lang or args.lang))
        elif args.command == "sessions":
            return _sessions(args, engine, lang)
        elif args.command == "decisions":
            return _decisions(args, engine, lang)
        elif args.command == "opendata":
            upgrade(engine)
            with transaction(engine) as session:
                written = opendata.export_package(session, args.folder)
            for path in written:
                print(f"{path} ({path.stat().st_size} octets)", file=sys.stderr)
            errors = opendata.validation_errors(written[0])
            for error in errors:
                print(error, file=sys.stderr)
            if errors:
                return 1
        elif args.command == "backup":
            report = backup(engine, args.file)
            print(f"{args.file} : " + ", ".join(f"{k} {v}" for k, v in report.tables.items()))
        elif args.command == "restore":
            counts = restore(engine, args.file, force=args.force)
            print(", ".join(f"{k} {v}" for k, v in counts.items()))
        elif args.command == "demo":
            made = synthetic.generate(
                engine,
                organisations=args.organisations,
                contributions=args.contributions,
                history=args.history,
                seed=args.seed,
            )
            print(
                f"organisations: {made.organisations}, contributions: {made.contributions}, "
                f"historique: {made.history} (données de démonstration)"
            )
        elif args.command == "users":
            return _users(args, engine, lang)
        elif args.command == "contributions":
            return _contributions(args, engine, lang)
        elif args.command == "mail":
            return _mail(args, engine, lang)
        elif args.command == "catalogue":
            return _catalogue(args, engine, lang)
    except TrackerError as error:
        logs.error(type(error).__name__, key=error.key, command=args.command)
        print(describe(error, lang), file=sys.stderr)
        return 1
    return 0
