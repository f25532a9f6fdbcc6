"""Each list of columns is declared once, by the capability that owns it
(follow-up for the proposals, contributions for the contributions); the
others follow it. The import schema is a JSON file: it is checked here."""

from __future__ import annotations

from tracker.contributions import history, importer
from tracker.contributions.queries import IDENTITY_COLUMNS, PUBLIC_COLUMNS
from tracker.contributions.rules import EDITABLE_FIELDS, PUBLIC_FIELDS
from tracker.followup.queries import PROPOSAL_COLUMNS, PROPOSAL_FIELDS
from tracker.opendata import package as opendata


def names(schema) -> list[str]:
    return [f["name"] for f in schema["fields"]]


def test_the_proposals_columns_are_declared_once():
    assert [*PROPOSAL_FIELDS, "version"] == PROPOSAL_COLUMNS
    assert names(opendata.PROPOSALS_SCHEMA) == PROPOSAL_FIELDS


def test_the_public_contribution_columns_are_declared_once():
    assert [*IDENTITY_COLUMNS, *PUBLIC_FIELDS, "validated_at"] == PUBLIC_COLUMNS
    assert [*PUBLIC_COLUMNS, "revision"] == history.VERSION_COLUMNS
    assert names(opendata.CONTRIBUTIONS_SCHEMA) == PUBLIC_COLUMNS


def test_the_import_schema_has_the_editable_fields():
    assert importer.columns() == ["id", "proposal", "organisation", *EDITABLE_FIELDS, "state"]
