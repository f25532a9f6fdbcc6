"""The OpenAPI 3.1 description of the API, built from the same Table Schemas
as the data package, so the two can never disagree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tracker import __version__
from tracker.api.params import MAX_QUERY, MAX_WHOLE
from tracker.domain.vocabulary import Status, Theme
from tracker.opendata import package as opendata

_JSON_TYPES = {
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "string": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}


def json_schema(table_schema: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON Schema for one record of a Table Schema; a field that is not
    required may be null."""
    properties: dict[str, Any] = {}
    for f in table_schema["fields"]:
        constraints = f.get("constraints", {})
        required = constraints.get("required", False)
        schema = dict(_JSON_TYPES[f["type"]])
        if not required:
            schema["type"] = [schema["type"], "null"]
        for key in ("minimum", "maximum", "pattern"):
            if key in constraints:
                schema[key] = constraints[key]
        if "enum" in constraints:
            schema["enum"] = list(constraints["enum"]) + ([] if required else [None])
        schema["description"] = f["description"]
        properties[f["name"]] = schema
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _codes(name: str, allowed: Sequence[str], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description + " Plusieurs valeurs : séparées par des virgules.",
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "string", "enum": list(allowed)}},
    }


def _whole(name: str, where: str, description: str, maximum: int = MAX_WHOLE) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
    }


AS_OF = {
    "name": "as_of",
    "in": "query",
    "description": "Situation à la fin de ce jour, reconstituée depuis l’historique "
    "(AAAA-MM-JJ). Avant l’adoption du rapport : aucune proposition ; après aujourd’hui "
    "ou mal écrite : 400 (as_of.future, as_of.malformed).",
    "schema": {"type": "string", "format": "date"},
}
PAGE = [
    _whole("page", "query", "Page (à partir de 1)."),
    _whole("per_page", "query", "Lignes par page (100 par défaut).", opendata.MAX_PER_PAGE),
]


def _filters(owner_codes: Sequence[str]) -> list[dict[str, Any]]:
    return [
        _codes("theme", [t.value for t in Theme], "Thème principal."),
        _codes("status", [s.value for s in Status], "Statut."),
        _codes("owner", owner_codes, "Organisation pilote ou associée (code)."),
        {
            "name": "q",
            "in": "query",
            "description": "Recherche dans le numéro, les intitulés, les résumés et les porteurs "
            "(sans accents ni casse).",
            "schema": {"type": "string", "maxLength": MAX_QUERY},
        },
    ]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _responses(ok: dict[str, Any], *, not_found: bool = False) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": _ref("Error")}}}
    responses = {
        "200": {**ok, "headers": {"ETag": _ref_header("ETag"), "Last-Modified": _ref_header("LM")}},
        "304": {
            "description": "Pas de changement depuis la copie du client (If-None-Match, "
            "If-Modified-Since)."
        },
        "400": {"description": "Paramètre inconnu ou invalide.", **error},
        "503": {"description": "La base de données ne répond pas.", **error},
    }
    if not_found:
        responses["404"] = {"description": "Proposition inconnue.", **error}
    return responses


def _ref_header(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _csv(description: str) -> dict[str, Any]:
    return {
        "description": description
        + " CSV UTF-8, virgules, ligne d’en-tête. Une cellule de texte qui commence"
        " par =, +, -, @, une tabulation ou un retour chariot est précédée d’une"
        " apostrophe (formule neutralisée pour un tableur) ; le JSON porte la valeur"
        " exacte.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }


def _list(item: str, *, paginated: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "type": "object",
        "properties": {
            "total": {"type": "integer", "minimum": 0},
            "demonstration": {"type": "boolean"},
            "licence": {"type": "string"},
        },
        "required": ["total", "demonstration", "licence"],
    }
    body: dict[str, Any] = {
        "type": "object",
        "properties": {"data": {"type": "array", "items": _ref(item)}, "meta": meta},
        "required": ["data", "meta"],
    }
    if paginated:
        for key in ("page", "per_page", "pages"):
            meta["properties"][key] = {"type": "integer", "minimum": 1}
            meta["required"].append(key)
        link = {"type": ["string", "null"]}
        body["properties"]["links"] = {
            "type": "object",
            "properties": {"self": {"type": "string"}, "next": link, "prev": link},
            "required": ["self", "next", "prev"],
        }
        body["required"].append("links")
    else:
        meta["properties"]["as_of"] = {"type": ["string", "null"], "format": "date"}
    return body


def _get(summary: str, parameters: list[dict[str, Any]], responses: dict[str, Any]):
    return {
        "get": {
            "summary": summary,
            "operationId": summary,
            "parameters": parameters,
            "responses": responses,
        }
    }


def _resource_paths(
    name: str, item: str, filters: list[dict[str, Any]], *, not_found: bool
) -> dict[str, Any]:
    return {
        f"/api/v1/{name}": _get(
            f"list_{name}",
            [*filters, *PAGE],
            _responses(_json(_list(item, paginated=True), "Une page."), not_found=not_found),
        ),
        f"/api/v1/{name}.csv": _get(
            f"{name}_csv", filters, _responses(_csv("Toutes les lignes."), not_found=not_found)
        ),
    }


def openapi(owner_codes: Sequence[str]) -> dict[str, Any]:
    """The OpenAPI 3.1 document; `owner_codes` are the organisations' codes,
    the values the `owner` filter accepts."""
    filters = _filters(list(owner_codes))
    proposal_filter = _whole("proposal", "query", "Seulement cette proposition (numéro).")
    error = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "parameter": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                    "message_fr": {"type": "string"},
                },
                "required": ["parameter", "message", "message_fr"],
            }
        },
        "required": ["error"],
    }
    single = {
        "type": "object",
        "properties": {
            "data": _ref("Proposal"),
            "meta": {
                "type": "object",
                "properties": {
                    "as_of": {"type": ["string", "null"], "format": "date"},
                    "demonstration": {"type": "boolean"},
                    "licence": {"type": "string"},
                },
                "required": ["as_of", "demonstration", "licence"],
            },
        },
        "required": ["data", "meta"],
    }
    health = {
        "type": "object",
        "properties": {"status": {"enum": ["ok", "unavailable"]}, "database": {"type": "boolean"}},
        "required": ["status", "database"],
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Suivi des propositions « villes intelligentes partagées » — API publique",
            "version": __version__,
            "description": "Données publiques du suivi, en lecture seule. Réponses JSON ou CSV ; "
            "ETag et Last-Modified, 304 sur requête conditionnelle ; erreurs "
            '`{"error": {"parameter", "message", "message_fr"}}`. Voir docs/api.md.',
            "license": {"name": opendata.LICENCE["title"], "identifier": "etalab-2.0"},
        },
        "paths": {
            "/api/v1/proposals": _get(
                "list_proposals",
                [*filters, AS_OF],
                _responses(_json(_list("Proposal", paginated=False), "Les propositions.")),
            ),
            "/api/v1/proposals.csv": _get(
                "proposals_csv", [*filters, AS_OF], _responses(_csv("Les propositions."))
            ),
            "/api/v1/proposals/{n}": _get(
                "get_proposal",
                [_whole("n", "path", "Numéro de la proposition."), AS_OF],
                _responses(_json(single, "Une proposition."), not_found=True),
            ),
            **_resource_paths("history", "Change", [proposal_filter], not_found=True),
            **_resource_paths("contributions", "Contribution", [proposal_filter], not_found=True),
            **_resource_paths("organisations", "Organisation", [], not_found=False),
            **_resource_paths("sessions", "Session", [], not_found=False),
            **_resource_paths("decisions", "Decision", [], not_found=False),
            "/api/v1/datapackage.json": _get(
                "datapackage",
                [],
                _responses(_json({"type": "object"}, "Le paquet de données Frictionless.")),
            ),
            "/api/v1/openapi.json": _get(
                "openapi", [], _responses(_json({"type": "object"}, "Ce document."))
            ),
            "/healthz": {
                "get": {
                    "summary": "healthz",
                    "operationId": "healthz",
                    "responses": {
                        "200": _json(health, "La base de données répond."),
                        "400": {
                            "description": "Paramètre inconnu.",
                            "content": {"application/json": {"schema": _ref("Error")}},
                        },
                        "503": _json(health, "La base de données ne répond pas."),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Proposal": json_schema(opendata.PROPOSALS_SCHEMA),
                "Change": json_schema(opendata.HISTORY_SCHEMA),
                "Contribution": json_schema(opendata.CONTRIBUTIONS_SCHEMA),
                "Organisation": json_schema(opendata.ORGANISATIONS_SCHEMA),
                "Session": json_schema(opendata.SESSIONS_SCHEMA),
                "Decision": json_schema(opendata.DECISIONS_SCHEMA),
                "Error": error,
            },
            "headers": {
                "ETag": {"description": "Version des données.", "schema": {"type": "string"}},
                "LM": {
                    "description": "Dernier changement des données (date HTTP).",
                    "schema": {"type": "string"},
                },
            },
        },
    }
