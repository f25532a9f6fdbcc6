"""Markdown and HTML planted in every user-writable field a public page shows,
each pointing at `base` (a listener of the test's own), so that a page that
renders any of them as more than text makes the browser call it."""

from __future__ import annotations

from datetime import timedelta

from tracker.accounts import queries as account_queries
from tracker.catalogue.actions import edit_wording, save_organisation
from tracker.catalogue.queries import get_proposal, organisations_frame
from tracker.clock import today
from tracker.contributions import actions as contributions
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.followup.actions import update_followup
from tracker.review_sessions.actions import record_review_session

NUMBER = 7  # the proposal whose page is looked at


def payloads(base: str) -> dict[str, str]:
    """One payload per field (each short enough for the field's limit)."""
    return {
        "session_label": f"Séance ![pixel]({base}/pixel-session) [lien]({base}/link-session)",
        "short_name": f"![o]({base}/pixel-org) <a href='{base}/a-org'><b>x</b></a>",
        "full_name": f"<img src='{base}/img-org-full'> [x]({base}/link-org)",
        "title_fr": f"Titre ![t]({base}/pixel-title) <img src={base}/img-title>",
        "title_en": f"Title ![t]({base}/pixel-title-en)",
        "report_reference": f"![r]({base}/pixel-ref)",
        "next_steps_fr": f"![n]({base}/pixel-next) <img src={base}/img-next>",
        "contribution_title": f"![c]({base}/pixel-contribution)",
        "partner_authority": f"<img src={base}/img-partner>",
    }


def plant(database_url: str, base: str) -> dict[str, str]:
    """Write the payloads through the actions, as the people allowed to would."""
    texts = payloads(base)
    engine = make_engine(database_url)
    with transaction(engine) as session:

        def actor(email: str):
            return account_queries.actor_for(account_queries.get_account(session, email))

        admin, reviewer = actor("admin@demo.invalid"), actor("secretariat@demo.invalid")
        proposal = get_proposal(session, NUMBER)
        owner = proposal.lead_owner.code
        row = organisations_frame(session).set_index("code").loc[owner].to_dict()
        save_organisation(
            session,
            admin,
            {
                **{k: v or "" for k, v in row.items()},
                "code": owner,
                "short_name": texts["short_name"],
                "full_name": texts["full_name"],
            },
        )
        edit_wording(
            session,
            admin,
            NUMBER,
            {
                "title_fr": texts["title_fr"],
                "title_en": texts["title_en"],
                "report_reference": texts["report_reference"],
            },
            expected_version=proposal.version,
        )
        update_followup(
            session,
            reviewer,
            NUMBER,
            {"next_steps_fr": texts["next_steps_fr"]},
            expected_version=get_proposal(session, NUMBER).version,
        )
        record_review_session(
            session, reviewer, today() - timedelta(days=1), texts["session_label"]
        )
        lille = actor("lille@demo.invalid")
        item = contributions.create(
            session,
            lille,
            {
                "proposal": NUMBER,
                "title": texts["contribution_title"],
                "partner_authority": texts["partner_authority"],
                "status": "engagee",
                "progress": 5,
            },
            submit=True,
        )
        contributions.validate(session, reviewer, item.id)
    engine.dispose()
    return texts
