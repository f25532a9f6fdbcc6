"""No draft, no contact, no account and no person's name ever leaves through the
API, whatever the route and the parameters: a database full of hostile markers
is crawled route by route, page by page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from starlette.testclient import TestClient

from tracker import api
from tracker.accounts import actions as accounts
from tracker.accounts import queries as account_queries
from tracker.contributions import actions as contributions
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import SYSTEM
from tracker.domain.vocabulary import Role
from tracker.followup.actions import update_followup

SECRET = "HOSTILE"  # in every value that must never be public
PASSWORD = "HOSTILE-password-9f3Kq!x2"
FIELDS = {
    "proposal": 6,
    "description": "Un atelier.",
    "status": "engagee",
    "progress": "20",
    "partner_country": "SN",
    "partner_authority": "Ville de Dakar",
    "evidence_links": "https://exemple.org/a",
    "budget_eur": "1000",
}


def _hostile_database(url: str) -> None:
    engine = make_engine(url)
    with transaction(engine) as session:
        contributor = accounts.create_account(
            session,
            SYSTEM,
            email="hostile-contributor@lille.invalid",
            role=Role.CONTRIBUTOR,
            password=PASSWORD,
            organisation="mel",
            display_name=f"{SECRET} Contributor Name",
        )
        reviewer = accounts.create_account(
            session,
            SYSTEM,
            email="hostile-reviewer@cncd.invalid",
            role=Role.REVIEWER,
            password=PASSWORD,
            display_name=f"{SECRET} Reviewer Name",
        )
        author = account_queries.actor_for(contributor)
        checker = account_queries.actor_for(reviewer)

        def new(title: str, contact: str):
            return contributions.create(
                session, author, {**FIELDS, "title": title, "contact": contact}
            )

        new(f"{SECRET} draft", f"{SECRET}-draft-contact@mel.invalid")
        submitted = new(f"{SECRET} submitted", f"{SECRET}-submitted-contact@mel.invalid")
        contributions.submit(session, author, submitted.id)
        returned = new(f"{SECRET} returned", f"{SECRET}-returned-contact@mel.invalid")
        contributions.submit(session, author, returned.id)
        contributions.send_back(session, checker, returned.id, comment=f"{SECRET} review note")
        public = new("PUBLIC validated action", f"{SECRET}-validated-contact@mel.invalid")
        contributions.submit(session, author, public.id)
        contributions.validate(session, checker, public.id, comment=f"{SECRET} validation note")
        # Edited after validation: the edit waits for review, the public keeps
        # the validated version.
        contributions.update(
            session, author, public.id, {**FIELDS, "title": f"{SECRET} resubmitted edit"}
        )
        update_followup(
            session, checker, 6, {"status": "engagee", "progress": 30}, comment_fr="Relancé."
        )
    engine.dispose()


@pytest.fixture
def client(monkeypatch, demo_sqlite_url) -> Iterator[TestClient]:
    _hostile_database(demo_sqlite_url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_sqlite_url)
    with TestClient(api.standalone()) as test_client:
        yield test_client


def crawl(client: TestClient) -> dict[str, str]:
    """Every answer the API gives, with and without each parameter."""
    answers: dict[str, str] = {}

    def fetch(url: str) -> None:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.text[:300])
        answers[url] = response.text

    for url in (
        "/api/v1/proposals",
        "/api/v1/proposals.csv",
        # Today, the latest day `as_of` accepts (a future date is a 400,
        # tracker.clock.parse_as_of): the whole history rebuilt.
        f"/api/v1/proposals?as_of={date.today().isoformat()}&q=dakar",
        "/api/v1/proposals?owner=mel",
        "/api/v1/datapackage.json",
        "/api/v1/openapi.json",
        "/healthz",
    ):
        fetch(url)
    for number in range(1, 22):
        fetch(f"/api/v1/proposals/{number}")
        fetch(f"/api/v1/proposals/{number}?as_of=2019-06-30")
    for name in ("history", "contributions", "organisations"):
        fetch(f"/api/v1/{name}.csv")
        url = f"/api/v1/{name}?per_page=7"
        while url:
            response = client.get(url)
            answers[url] = response.text
            url = response.json()["links"]["next"]
    for name in ("history", "contributions"):
        for number in (4, 6):
            fetch(f"/api/v1/{name}?proposal={number}")
            fetch(f"/api/v1/{name}.csv?proposal={number}")
    return answers


def test_no_draft_contact_account_or_name_in_any_route(client):
    answers = crawl(client)
    assert len(answers) > 60
    leaks = {url: text for url, text in answers.items() if SECRET.lower() in text.lower()}
    assert leaks == {}
    everything = "\n".join(answers.values())
    for private in ("@mel.invalid", "@lille.invalid", "@cncd.invalid", "argon2", "password"):
        assert private not in everything


def test_only_the_validated_version_of_a_validated_contribution_is_public(client):
    rows = client.get("/api/v1/contributions?proposal=6").json()["data"]
    assert [row["title"] for row in rows] == ["PUBLIC validated action"]
    assert set(rows[0]) == {
        "id",
        "proposal",
        "organisation",
        "organisation_name",
        "organisation_kind",
        "title",
        "description",
        "status",
        "progress",
        "start_date",
        "end_date",
        "partner_country",
        "partner_authority",
        "evidence_links",
        "budget_eur",
        "validated_at",
    }


def test_the_reviewer_s_follow_up_change_is_public_without_the_reviewer_s_name(client):
    changes = client.get("/api/v1/history?proposal=6&per_page=500").json()["data"]
    latest = changes[-1]
    assert latest["comment_fr"] == "Relancé."
    assert latest["recorded_by"] == "secretariat"
    assert "author" not in latest
