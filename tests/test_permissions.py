"""Every role against every action that changes data, in the services themselves
(the pages, the CLI and the importer all go through them), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.accounts import actions as accounts
from tracker.accounts import queries as account_queries
from tracker.catalogue import actions as catalogue
from tracker.catalogue.queries import get_proposal
from tracker.contributions import actions as contributions
from tracker.contributions import importer
from tracker.contributions import queries as contribution_queries
from tracker.db.models import Contribution, Organisation
from tracker.domain.permissions import VISITOR
from tracker.domain.vocabulary import ContributionState
from tracker.errors import PermissionDenied
from tracker.followup import actions as followup

ROLES = ("visitor", "contributor_lille", "contributor_lyon", "reviewer", "administrator")
EMAILS = {
    "contributor_lille": "lille@demo.invalid",
    "contributor_lyon": "lyon@demo.invalid",
    "reviewer": "secretariat@demo.invalid",
    "administrator": "admin@demo.invalid",
}
NEW = {"proposal": 3, "title": "Action nouvelle", "status": "engagee", "progress": 10}


def actor_of(session, role):
    if role == "visitor":
        return VISITOR
    return account_queries.actor_for(account_queries.get_account(session, EMAILS[role]))


def lille_contribution(session, state: ContributionState) -> Contribution:
    org = session.scalar(select(Organisation.id).where(Organisation.code == "mel"))
    found = session.scalars(
        select(Contribution).where(
            Contribution.organisation_id == org, Contribution.state == state.value
        )
    ).first()
    if found is not None:
        return found
    author = actor_of(session, "contributor_lille")
    draft = contributions.create(session, author, {**NEW, "title": f"Lille {state}"})
    if state is ContributionState.DRAFT:
        return draft
    contributions.submit(session, author, draft.id)
    return draft


def _create_own(session, actor):
    contributions.create(session, actor, {**NEW, "organisation": "mel"})


def _create_other(session, actor):
    contributions.create(session, actor, {**NEW, "organisation": "lyon-metropole"})


def _update_lille(session, actor):
    item = lille_contribution(session, ContributionState.DRAFT)
    contributions.update(
        session, actor, item.id, {"title": "Titre corrigé"}, expected_version=item.version
    )


def _delete_lille_draft(session, actor):
    item = lille_contribution(session, ContributionState.DRAFT)
    contributions.delete(session, actor, item.id, expected_version=item.version)


def _submit_lille(session, actor):
    item = lille_contribution(session, ContributionState.DRAFT)
    contributions.submit(session, actor, item.id, expected_version=item.version)


def _validate(session, actor):
    item = lille_contribution(session, ContributionState.SUBMITTED)
    contributions.validate(session, actor, item.id, expected_version=item.version)


def _return(session, actor):
    item = lille_contribution(session, ContributionState.SUBMITTED)
    contributions.send_back(
        session, actor, item.id, comment="À préciser", expected_version=item.version
    )


def _edit_followup(session, actor):
    version = get_proposal(session, 3).version
    followup.edit_followup(
        session, actor, 3, {"next_steps_fr": "Relancer"}, expected_version=version
    )


def _edit_wording(session, actor):
    version = get_proposal(session, 3).version
    catalogue.edit_wording(
        session, actor, 3, {"title_fr": "Nouveau libellé"}, expected_version=version
    )


def _add_account(session, actor):
    accounts.create_account(
        session,
        actor,
        email="nouveau@exemple.invalid",
        role="reviewer",
        password="x" * 12,
        display_name="Nouvelle Relectrice",
    )


def _disable_account(session, actor):
    accounts.set_active(session, actor, "lyon@demo.invalid", False)


def _save_organisation(session, actor):
    catalogue.save_organisation(
        session, actor, {"code": "ville-test", "short_name": "Ville test", "kind": "commune"}
    )


def _import_file(session, actor):
    content = "proposal;title;status;progress;organisation\n3;Importée;engagee;5;mel\n".encode()
    report = importer.import_contributions(session, actor, content, "lignes.csv")
    if any(problem.kind == "PermissionDenied" for problem in report.problems):
        raise PermissionDenied(report.problems[0].message)
    assert report.ok and report.written, report.problems


def _read_audit(session, actor):
    account_queries.audit_frame(session, actor)


def _see_every_draft(session, actor):
    contribution_queries.working_frame(session, actor, all_organisations=True)


ACTIONS = {
    "create_own_organisation": (_create_own, {"contributor_lille", "administrator"}),
    "create_for_another_organisation": (_create_other, {"contributor_lyon", "administrator"}),
    "edit_lille_draft": (_update_lille, {"contributor_lille", "administrator"}),
    "delete_lille_draft": (_delete_lille_draft, {"contributor_lille", "administrator"}),
    "submit_lille_draft": (_submit_lille, {"contributor_lille", "administrator"}),
    "validate_submitted": (_validate, {"reviewer", "administrator"}),
    "return_submitted": (_return, {"reviewer", "administrator"}),
    "edit_followup": (_edit_followup, {"reviewer", "administrator"}),
    "edit_catalogue_wording": (_edit_wording, {"administrator"}),
    "add_account": (_add_account, {"administrator"}),
    "disable_account": (_disable_account, {"administrator"}),
    "save_organisation": (_save_organisation, {"administrator"}),
    "import_file_for_lille": (_import_file, {"contributor_lille", "administrator"}),
    "read_audit_log": (_read_audit, {"administrator"}),
    "see_every_organisations_drafts": (_see_every_draft, {"reviewer", "administrator"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_may_do_exactly_what_its_role_allows(db, role, action):
    run, allowed = ACTIONS[action]
    actor = actor_of(db, role)
    if role in allowed:
        run(db, actor)
        db.flush()
    else:
        with pytest.raises(PermissionDenied):
            run(db, actor)


def test_a_contributor_cannot_edit_another_organisations_contribution(db):
    lyon = actor_of(db, "contributor_lyon")
    item = lille_contribution(db, ContributionState.DRAFT)
    with pytest.raises(PermissionDenied) as raised:
        contributions.update(db, lyon, item.id, {"title": "Pris par Lyon"})
    assert raised.value.key == "contrib.not_your_organisation"
    db.refresh(item)
    assert item.title != "Pris par Lyon"


def test_a_contributor_cannot_validate_its_own_contribution(db):
    lille = actor_of(db, "contributor_lille")
    item = lille_contribution(db, ContributionState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        contributions.validate(db, lille, item.id)
    assert item.state == ContributionState.SUBMITTED.value
