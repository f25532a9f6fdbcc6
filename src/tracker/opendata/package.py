"""The public follow-up data as open data: the tables anyone may reuse, their
Table Schemas and the Frictionless data package that describes them.

The API (`tracker.api`) and `python -m tracker opendata export` both build on
this module, so the files on a data portal and the answers of the server are
the same data, typed and described the same way.

What is public here, and what is not:
- the proposals (catalogue and follow-up) and the organisations, which are
  public bodies (their SIREN numbers are public);
- the follow-up history, without its `author`: that column holds the name of
  the person who saved the change (a reviewer's display name), which is
  personal data. Every follow-up change is made either by the tool itself
  (the baseline at the report's adoption) or by the CNCD secretariat's
  reviewers and administrators, so `recorded_by` says which of the two, and
  never who;
- nothing of accounts, drafts, contact details or reviewers' private notes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import __version__
from tracker.catalogue import queries as catalogue_queries
from tracker.catalogue.rules import ORGANISATION_CODE, ORGANISATION_LIMITS
from tracker.clock import aware
from tracker.contributions import queries as contribution_queries
from tracker.contributions.rules import CONTRIBUTION_STATUSES
from tracker.db import settings
from tracker.db.models import ContributionVersion, ProposalChange
from tracker.domain.vocabulary import (
    ADOPTION_DATE,
    DecisionState,
    OrganisationKind,
    SessionFormat,
    Status,
    Theme,
    WordingStatus,
)
from tracker.exports import neutralise
from tracker.followup import queries
from tracker.followup.aggregates import ProposalFilter, apply_filter, state_at
from tracker.followup.rules import FOLLOWUP_FIELDS
from tracker.followup.views import organisation_names, recorded_by
from tracker.review_sessions.queries import (
    decisions_frame,
    public_decisions,
    public_sessions,
    review_sessions_frame,
)

REPORT_TITLE = "Vers un modèle français des villes intelligentes partagées"
REPORT_URL = (
    "https://www.diplomatie.gouv.fr/IMG/pdf/rapport_villes_intelligentes_290618_1__cle862161.pdf"
)
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PACKAGE_NAME = "suivi-villes-intelligentes-partagees"
MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 100


class RecordedBy:
    """Who recorded a follow-up change, as the public may know it."""

    SYSTEM = "system"
    SECRETARIAT = "secretariat"
    ALL = (SYSTEM, SECRETARIAT)


# ---------------------------------------------------------------- Table Schemas


def _labels(members: Sequence[Any]) -> str:
    return "; ".join(f"{m.value} = {m.label('fr')} / {m.label('en')}" for m in members)


def field(
    name: str,
    type_: str,
    description: str,
    *,
    required: bool = False,
    unique: bool = False,
    enum: Sequence[str] | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    pattern: str | None = None,
    format_: str | None = None,
    max_length: int | None = None,
) -> dict[str, Any]:
    """One Table Schema field descriptor."""
    descriptor: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if format_:
        descriptor["format"] = format_
    constraints: dict[str, Any] = {}
    if required:
        constraints["required"] = True
    if unique:
        constraints["unique"] = True
    if enum is not None:
        constraints["enum"] = list(enum)
    if minimum is not None:
        constraints["minimum"] = minimum
    if maximum is not None:
        constraints["maximum"] = maximum
    if pattern is not None:
        constraints["pattern"] = pattern
    if max_length is not None:
        constraints["maxLength"] = max_length
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def _in_order(names: Sequence[str], *descriptors: dict[str, Any]) -> list[dict[str, Any]]:
    """The descriptors of `names`, in their order: the list of columns is
    declared by the capability that owns it, the schema only describes them
    (a column described twice, or missing, or unknown, stops the import)."""
    described = {d["name"]: d for d in descriptors}
    if len(described) != len(descriptors) or set(described) != set(names):
        raise RuntimeError(f"schema fields {sorted(described)} are not {sorted(names)}")
    return [described[name] for name in names]


THEMES = [t.value for t in Theme]
STATUSES = [s.value for s in Status]
_THEME = "(" + "|".join(THEMES) + ")"

PROPOSALS_SCHEMA: dict[str, Any] = {
    "fields": _in_order(
        queries.PROPOSAL_FIELDS,
        field(
            "number",
            "integer",
            "Numéro de la proposition (1 à 20).",
            required=True,
            unique=True,
            minimum=1,
        ),
        field("title_fr", "string", "Intitulé en français.", required=True),
        field("title_en", "string", "Intitulé en anglais.", required=True),
        field("summary_fr", "string", "Résumé en français."),
        field("summary_en", "string", "Résumé en anglais."),
        field(
            "primary_theme",
            "string",
            "Thème principal : " + _labels(list(Theme)),
            required=True,
            enum=THEMES,
        ),
        field(
            "secondary_themes",
            "string",
            "Thèmes secondaires, codes séparés par « | ».",
            pattern=f"^{_THEME}(\\|{_THEME})*$",
        ),
        field("report_reference", "string", "Référence dans le rapport (chapitre, page)."),
        field(
            "wording_status",
            "string",
            "Origine du libellé : " + _labels(list(WordingStatus)),
            required=True,
            enum=[w.value for w in WordingStatus],
        ),
        field("source_url", "string", "Source publique du libellé.", format_="uri"),
        field(
            "lead_owner",
            "string",
            "Code de l’organisation pilote (voir organisations).",
            pattern=ORGANISATION_CODE,
        ),
        field(
            "co_owners",
            "string",
            "Codes des organisations associées, séparés par « | » (voir organisations).",
        ),
        field(
            "status",
            "string",
            "Statut de mise en œuvre : " + _labels(list(Status)),
            required=True,
            enum=STATUSES,
        ),
        field(
            "progress",
            "integer",
            "Avancement en pour cent ; vide tant que la proposition n’est pas évaluée.",
            minimum=0,
            maximum=100,
        ),
        field("target_date", "date", "Échéance."),
        field("last_assessed_on", "date", "Date de la dernière évaluation."),
        field("next_steps_fr", "string", "Prochaines étapes, en français."),
        field("next_steps_en", "string", "Prochaines étapes, en anglais."),
        field("blockers_fr", "string", "Freins, en français."),
        field("blockers_en", "string", "Freins, en anglais."),
    ),
    "primaryKey": ["number"],
    "foreignKeys": [
        {"fields": ["lead_owner"], "reference": {"resource": "organisations", "fields": ["code"]}}
    ],
    "missingValues": [""],
}

HISTORY_SCHEMA: dict[str, Any] = {
    "fields": [
        field("number", "integer", "Numéro de la proposition.", required=True, minimum=1),
        field("changed_at", "datetime", "Date et heure du changement (UTC).", required=True),
        field(
            "field", "string", "Champ du suivi modifié.", required=True, enum=list(FOLLOWUP_FIELDS)
        ),
        field("old_value", "string", "Valeur avant le changement."),
        field("new_value", "string", "Valeur après le changement."),
        field("comment_fr", "string", "Commentaire du secrétariat, en français."),
        field("comment_en", "string", "Commentaire du secrétariat, en anglais."),
        field(
            "origin",
            "string",
            "Canal du changement : baseline (état initial à l’adoption du rapport), "
            "demo (données de démonstration), ui (application), import (fichier).",
        ),
        field(
            "recorded_by",
            "string",
            "Qui a enregistré le changement : system (l’outil lui-même) ou secretariat "
            "(le secrétariat de la CNCD). Le nom de la personne n’est pas publié.",
            required=True,
            enum=list(RecordedBy.ALL),
        ),
    ],
    "foreignKeys": [
        {"fields": ["number"], "reference": {"resource": "proposals", "fields": ["number"]}}
    ],
    "missingValues": [""],
}

ORGANISATIONS_SCHEMA: dict[str, Any] = {
    # The rules the administration page saves by (catalogue.rules), published.
    "fields": [
        field(
            "code",
            "string",
            "Code stable de l’organisation.",
            required=True,
            unique=True,
            pattern=ORGANISATION_CODE,
            max_length=ORGANISATION_LIMITS["code"],
        ),
        field(
            "short_name",
            "string",
            "Nom court.",
            required=True,
            max_length=ORGANISATION_LIMITS["short_name"],
        ),
        field(
            "full_name",
            "string",
            "Nom complet.",
            required=True,
            max_length=ORGANISATION_LIMITS["full_name"],
        ),
        field(
            "kind",
            "string",
            "Nature : " + _labels(list(OrganisationKind)),
            required=True,
            enum=[k.value for k in OrganisationKind],
        ),
        field("siren", "string", "Numéro SIREN.", pattern="^[0-9]{9}$"),
        field(
            "website",
            "string",
            "Site web (adresse http ou https).",
            format_="uri",
            pattern="^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]+.*$",
            max_length=ORGANISATION_LIMITS["website"],
        ),
    ],
    "primaryKey": ["code"],
    "missingValues": [""],
}


CONTRIBUTIONS_SCHEMA: dict[str, Any] = {
    "fields": _in_order(
        contribution_queries.PUBLIC_COLUMNS,
        field(
            "id",
            "integer",
            "Identifiant stable de la contribution.",
            required=True,
            unique=True,
            minimum=1,
        ),
        field("proposal", "integer", "Numéro de la proposition.", required=True, minimum=1),
        field(
            "organisation",
            "string",
            "Code de l’organisation contributrice.",
            required=True,
            pattern=ORGANISATION_CODE,
        ),
        field("organisation_name", "string", "Nom court de l’organisation.", required=True),
        field(
            "organisation_kind",
            "string",
            "Nature de l’organisation : " + _labels(list(OrganisationKind)),
            required=True,
            enum=[k.value for k in OrganisationKind],
        ),
        field("title", "string", "Titre de l’action.", required=True),
        field("description", "string", "Description de l’action."),
        field(
            "status",
            "string",
            "Statut de l’action : " + _labels(CONTRIBUTION_STATUSES),
            required=True,
            enum=[s.value for s in CONTRIBUTION_STATUSES],
        ),
        field("progress", "integer", "Avancement en pour cent.", minimum=0, maximum=100),
        field("start_date", "date", "Début de l’action."),
        field("end_date", "date", "Fin (prévue) de l’action."),
        field(
            "partner_country",
            "string",
            "Pays partenaire (ISO 3166-1 alpha-2).",
            pattern="^[A-Z]{2}$",
        ),
        field("partner_authority", "string", "Collectivité ou autorité partenaire."),
        field("evidence_links", "string", "Liens vers des sources, un par ligne."),
        field("budget_eur", "number", "Budget en euros.", minimum=0),
        field(
            "validated_at",
            "datetime",
            "Date et heure de validation par le secrétariat de la CNCD (UTC).",
            required=True,
        ),
    ),
    "primaryKey": ["id"],
    "foreignKeys": [
        {"fields": ["proposal"], "reference": {"resource": "proposals", "fields": ["number"]}},
        {
            "fields": ["organisation"],
            "reference": {"resource": "organisations", "fields": ["code"]},
        },
    ],
    "missingValues": [""],
}


SESSIONS_SCHEMA: dict[str, Any] = {
    "fields": [
        field("id", "integer", "Identifiant de la séance.", required=True, unique=True),
        field("date", "date", "Date de la séance.", required=True, unique=True),
        field("title", "string", "Intitulé de la séance.", required=True),
        field(
            "format",
            "string",
            "Format : " + _labels(list(SessionFormat)),
            required=True,
            enum=[f.value for f in SessionFormat],
        ),
        field(
            "attendance", "string", "Présents (organisations), tels que le compte rendu les cite."
        ),
        field(
            "published_at",
            "datetime",
            "Date et heure de publication du compte rendu (UTC).",
            required=True,
        ),
    ],
    "primaryKey": ["id"],
    "missingValues": [""],
}

DECISIONS_SCHEMA: dict[str, Any] = {
    "fields": [
        field("id", "integer", "Identifiant de la décision.", required=True, unique=True),
        field("session", "integer", "Séance qui l’a prise.", required=True),
        field("text_fr", "string", "Texte de la décision, en français.", required=True),
        field("text_en", "string", "Texte de la décision, en anglais."),
        field(
            "proposals",
            "string",
            "Numéros des propositions concernées, séparés par une espace.",
            pattern="^[0-9]+( [0-9]+)*$",
        ),
        field(
            "owner",
            "string",
            "Code de l’organisation responsable.",
            pattern=ORGANISATION_CODE,
        ),
        field("due_on", "date", "Échéance."),
        field(
            "state",
            "string",
            "État : " + _labels(list(DecisionState)),
            required=True,
            enum=[s.value for s in DecisionState],
        ),
        field("state_changed_on", "date", "Date du dernier changement d’état.", required=True),
    ],
    "primaryKey": ["id"],
    "foreignKeys": [
        {"fields": ["session"], "reference": {"resource": "sessions", "fields": ["id"]}},
        {"fields": ["owner"], "reference": {"resource": "organisations", "fields": ["code"]}},
    ],
    "missingValues": [""],
}


# ------------------------------------------------------------------ the frames


def organisations_public(session: Session) -> pd.DataFrame:
    return catalogue_queries.organisations_frame(session).sort_values("code").reset_index(drop=True)


def _columns(schema: Mapping[str, Any]) -> list[str]:
    return [f["name"] for f in schema["fields"]]


def proposals_public(
    session: Session,
    *,
    wanted: ProposalFilter | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """The proposals, filtered as the table filters them, optionally as they
    stood at the end of `as_of` (rebuilt from history).

    A day before the report's adoption has no proposal; a day after today is
    read as today, the latest state known.
    """
    today = today or date.today()
    wanted = wanted or ProposalFilter()
    proposals = queries.proposals_frame(session)
    if as_of is not None:
        day = min(as_of, today)
        if day < ADOPTION_DATE:
            proposals = proposals.iloc[0:0]
        else:
            proposals = state_at(proposals, queries.history_frame(session), day)
    names = organisation_names(catalogue_queries.organisations_frame(session))
    wanted = ProposalFilter(
        wanted.themes, wanted.statuses, wanted.owners, wanted.query, organisation_names=names
    )
    frame = apply_filter(proposals, wanted, today) if len(proposals) else proposals
    return frame[_columns(PROPOSALS_SCHEMA)].reset_index(drop=True)


def sessions_public(session: Session) -> pd.DataFrame:
    """The sessions whose minutes are published, oldest first; who recorded
    them is never read here."""
    shown = public_sessions(review_sessions_frame(session))
    frame = pd.DataFrame(
        {
            "id": shown["id"].astype(int).to_numpy(),
            "date": shown["held_on"].to_numpy(),
            "title": shown["label"].to_numpy(),
            "format": shown["format"].to_numpy(),
            "attendance": shown["attendance"].to_numpy(),
            "published_at": [aware(v) for v in shown["state_changed_at"]],
        }
    )
    return frame[_columns(SESSIONS_SCHEMA)].reset_index(drop=True)


def decisions_public(session: Session) -> pd.DataFrame:
    """The decisions of the sessions whose minutes are published."""
    shown = public_decisions(review_sessions_frame(session), decisions_frame(session))
    rows = [
        {
            "id": int(row.id),
            "session": int(row.session_id),
            "text_fr": row.text_fr,
            "text_en": row.text_en or None,
            "proposals": " ".join(str(n) for n in row.numbers) or None,
            "owner": row.owner or None,
            "due_on": row.due_on,
            "state": row.state,
            "state_changed_on": row.state_changed_on,
        }
        for row in shown.itertuples(index=False)
    ]
    return pd.DataFrame.from_records(rows, columns=_columns(DECISIONS_SCHEMA))


def history_public(session: Session, *, number: int | None = None) -> pd.DataFrame:
    """The follow-up changes, oldest first, without the name of their author."""
    history = queries.followup_history(queries.history_frame(session, number))
    frame = history.drop(columns=["author"]).copy()
    frame["recorded_by"] = [recorded_by(origin) for origin in frame["origin"]]
    return frame[_columns(HISTORY_SCHEMA)].reset_index(drop=True)


def contributions_public(session: Session, *, number: int | None = None) -> pd.DataFrame:
    """The validated contributions only: the latest version the secretariat
    validated of each. Drafts, submitted, returned and resubmitted working
    copies, contact details, reviewers' comments and who validated are never
    read here (the versions table holds none of them)."""
    frame = contribution_queries.public_frame(session)
    if number is not None:
        frame = frame[frame["proposal"] == number]
    return frame[_columns(CONTRIBUTIONS_SCHEMA)].reset_index(drop=True)


# -------------------------------------------------------- the data's version


@dataclass(frozen=True)
class DataVersion:
    """When the public data last changed: validators for HTTP caches and the
    date a data package gives its data."""

    revision: int
    last_change: datetime | None

    @property
    def etag(self) -> str:
        stamp = int(self.last_change.timestamp()) if self.last_change else 0
        # The tool's version is part of it (a new release may shape the data
        # anew), hashed with the rest: the tag tells a cache that something
        # changed, not which release runs nor how many writes were made.
        seed = f"{__version__}-{self.revision}-{stamp}".encode()
        return f'W/"{hashlib.sha256(seed).hexdigest()[:24]}"'

    @property
    def last_modified(self) -> datetime:
        """Whole seconds, as HTTP dates carry them."""
        moment = self.last_change or datetime.combine(ADOPTION_DATE, datetime.min.time(), UTC)
        return moment.astimezone(UTC).replace(microsecond=0)


def data_version(session: Session) -> DataVersion:
    """The `revision` setting (bumped by every write) and the latest change:
    of the follow-up history or of a contribution's validation."""
    moments = [
        aware(session.scalar(select(func.max(ProposalChange.changed_at)))),
        aware(session.scalar(select(func.max(ContributionVersion.validated_at)))),
    ]
    known = [m for m in moments if m is not None]
    return DataVersion(settings.revision(session), max(known) if known else None)


# ------------------------------------------------------- values, CSV and JSON


def _present(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    return not (isinstance(value, float) and pd.isna(value))


def json_value(value: object, type_: str) -> object:
    """A cell as JSON carries it: numbers as numbers, dates in ISO 8601, null."""
    if not _present(value) or value == "":
        return None
    if type_ == "integer":
        return int(value)  # type: ignore[call-overload]
    if type_ == "number":
        return float(value) if isinstance(value, Decimal) else value
    if type_ == "datetime":
        moment = pd.Timestamp(value)  # type: ignore[arg-type]
        moment = moment.tz_localize(UTC) if moment.tzinfo is None else moment.tz_convert(UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if type_ == "date":
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)


def records(frame: pd.DataFrame, schema: Mapping[str, Any]) -> list[dict[str, object]]:
    types = {f["name"]: f["type"] for f in schema["fields"]}
    return [
        {name: json_value(row[name], type_) for name, type_ in types.items()}
        for row in frame.to_dict(orient="records")
    ]


def csv_bytes(frame: pd.DataFrame, schema: Mapping[str, Any]) -> bytes:
    """CSV for machines: UTF-8 without BOM, `,`, a header row, CRLF (RFC 4180).

    A text cell that a spreadsheet would run as a formula (it starts with `=`,
    `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as in
    every other export: whoever opens the file in Excel runs nothing. Numbers
    and dates are never touched (their schema type is not a string); the JSON
    routes carry every value exactly.
    """
    texts = {f["name"] for f in schema["fields"] if f["type"] == "string"}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_columns(schema))
    for record in records(frame, schema):
        writer.writerow(
            [
                "" if v is None else neutralise(v) if name in texts else v
                for name, v in record.items()
            ]
        )
    return buffer.getvalue().encode("utf-8")


# ------------------------------------------------------------ the data package


@dataclass(frozen=True)
class PublicResource:
    name: str
    title: str
    description: str
    schema: dict[str, Any]
    frame: Callable[[Session], pd.DataFrame]

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


RESOURCES: list[PublicResource] = [
    PublicResource(
        "proposals",
        "Propositions et leur suivi",
        "Les vingt propositions du rapport, leur thème, leurs porteurs et l’état de leur mise "
        "en œuvre.",
        PROPOSALS_SCHEMA,
        lambda session: proposals_public(session),
    ),
    PublicResource(
        "history",
        "Historique du suivi",
        "Chaque changement d’un champ du suivi, du plus ancien au plus récent.",
        HISTORY_SCHEMA,
        lambda session: history_public(session),
    ),
    PublicResource(
        "contributions",
        "Contributions validées",
        "Ce que les collectivités et organismes font pour chaque proposition, tel que le "
        "secrétariat de la CNCD l’a validé (dernière version validée de chaque contribution).",
        CONTRIBUTIONS_SCHEMA,
        lambda session: contributions_public(session),
    ),
    PublicResource(
        "organisations",
        "Organisations",
        "Les organismes publics et partenaires qui portent les propositions.",
        ORGANISATIONS_SCHEMA,
        organisations_public,
    ),
    PublicResource(
        "sessions",
        "Séances du groupe de travail",
        "Les séances du groupe de travail de la CNCD dont le compte rendu est publié.",
        SESSIONS_SCHEMA,
        sessions_public,
    ),
    PublicResource(
        "decisions",
        "Relevé de décisions",
        "Les décisions prises aux séances dont le compte rendu est publié, et leur état.",
        DECISIONS_SCHEMA,
        decisions_public,
    ),
]


def resource(name: str) -> PublicResource:
    return next(r for r in RESOURCES if r.name == name)


def datapackage(session: Session) -> dict[str, Any]:
    """The Frictionless data package descriptor (Data Package v1) of the public data."""
    version = data_version(session)
    demo = settings.is_demo(session)
    description = (
        "Suivi public des vingt propositions du rapport « " + REPORT_TITLE + " » "
        "(MEAE / CNCD, 2018) : propositions, historique du suivi, contributions validées, "
        "organisations, séances du groupe de travail et relevé de décisions."
    )
    if demo:
        description += (
            " ATTENTION : les porteurs, statuts, avancements et commentaires sont des "
            "données de démonstration, fictives."
        )
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Suivi des propositions « " + REPORT_TITLE + " »",
        "description": description,
        "licenses": [LICENCE],
        "sources": [
            {"title": f"{REPORT_TITLE} (rapport au MEAE, 27 juin 2018)", "path": REPORT_URL},
            {
                "title": "Suivi de la mise en œuvre par le secrétariat de la CNCD"
                + (" (données de démonstration)" if demo else ""),
            },
        ],
        "keywords": ["villes intelligentes", "smart city", "coopération décentralisée", "CNCD"],
        "created": version.last_modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "demonstration": demo,
        "resources": [
            {
                "name": r.name,
                "path": r.path,
                "profile": "tabular-data-resource",
                "title": r.title,
                "description": r.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": r.schema,
            }
            for r in RESOURCES
        ],
    }


def export_package(session: Session, folder: Path) -> list[Path]:
    """Write `datapackage.json` and one CSV file a resource into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for r in RESOURCES:
        path = folder / r.path
        path.write_bytes(csv_bytes(r.frame(session), r.schema))
        written.append(path)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(
        json.dumps(datapackage(session), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return [descriptor, *written]


def validation_errors(descriptor: Path | str) -> list[str]:
    """What Frictionless finds wrong in a data package (a file or an address),
    one line each; an empty list when the package and every row are valid."""
    from frictionless import Package  # slow to import: only when validating

    report = Package(str(descriptor)).validate()
    return [
        f"{task.name}: {error.type}: {error.message}"
        for task in report.tasks
        for error in task.errors
    ] + [f"package: {error.type}: {error.message}" for error in report.errors]
