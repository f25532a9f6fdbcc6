"""Organisation fields saved from the administration page: checked against
the schema the open data publishes (`ORGANISATIONS_SCHEMA`), so that what is
saved is what `/api/v1/organisations` may publish. A refused field is named,
and nothing is saved."""

from __future__ import annotations

import pytest
from frictionless import Resource, Schema
from sqlalchemy import select

from tests.hostile import HOSTILE
from tracker.accounts import queries as account_queries
from tracker.catalogue.actions import save_organisation
from tracker.db.models import Organisation
from tracker.errors import ValidationError
from tracker.opendata import package as opendata

GOOD = {
    "code": "ville-essai",
    "short_name": "Ville d’essai",
    "full_name": "Commune d’essai",
    "kind": "association",
    "siren": "",
    "website": "https://www.ville-essai.example/",
}

REFUSED = [
    ("code", "Bad Code <x>"),
    ("code", "-tiret-devant"),
    ("code", "MAJUSCULES"),
    ("code", "x" * 65),
    ("code", "ville/essai"),
    ("website", "data:text/html,<script>alert(1)</script>"),
    ("website", "javascript:alert(1)"),
    ("website", "JavaScript:alert(1)"),
    ("website", " javascript:alert(1)"),
    ("website", "vbscript:msgbox(1)"),
    ("website", "ftp://files.example/"),
    ("website", "//evil.example/"),
    ("website", "www.sans-schema.example"),
    ("website", "https://"),
    ("website", "https:///chemin"),
    ("website", "https://exa mple.fr/"),
    ("website", "https://" + "a" * 300 + ".fr/"),
    ("short_name", "x" * 121),
    ("full_name", "x" * 301),
]


def admin(session):
    return account_queries.actor_for(account_queries.get_account(session, "admin@demo.invalid"))


@pytest.mark.parametrize(("field", "value"), REFUSED, ids=[f"{f}-{v[:20]!r}" for f, v in REFUSED])
def test_an_organisation_field_outside_the_published_schema_is_refused(db, field, value):
    row = {**GOOD, field: value}
    with pytest.raises(ValidationError) as raised:
        save_organisation(db, admin(db), row)
    assert raised.value.params.get("column") == field
    db.rollback()
    assert db.scalar(select(Organisation).where(Organisation.code == row["code"])) is None


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("short_name", "Ville\u202e d’essai\x07", "Ville d’essai"),
        ("short_name", "  Ville d’essai  ", "Ville d’essai"),
        ("website", "", None),
        (
            "website",
            "HTTP://Ville.example/accueil?x=1#haut",
            "HTTP://Ville.example/accueil?x=1#haut",
        ),
        ("code", "  ville-essai ", "ville-essai"),
    ],
)
def test_an_organisation_field_is_stored_clean(db, field, value, stored):
    saved = save_organisation(db, admin(db), {**GOOD, field: value})
    assert getattr(saved, field) == stored


@pytest.mark.parametrize("name", ["script", "md-image", "md-js-link", "formula-eq", "md-colour"])
def test_markup_in_an_organisations_names_is_kept_as_text(db, name):
    saved = save_organisation(db, admin(db), {**GOOD, "short_name": HOSTILE[name][:120]})
    assert saved.short_name == HOSTILE[name][:120].strip()


def test_what_is_saved_validates_against_the_published_organisations_schema(db):
    for index, (field, value) in enumerate(
        [("website", "https://a.example/x"), ("short_name", HOSTILE["md-image"])]
    ):
        save_organisation(db, admin(db), {**GOOD, "code": f"essai-{index}", field: value})
    db.flush()
    data = opendata.csv_bytes(opendata.organisations_public(db), opendata.ORGANISATIONS_SCHEMA)
    resource = Resource(
        data=data, format="csv", schema=Schema.from_descriptor(opendata.ORGANISATIONS_SCHEMA)
    )
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
