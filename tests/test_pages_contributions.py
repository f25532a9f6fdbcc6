"""The new pages, run as the app runs them (AppTest), for each kind of person."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.apptest import open_page, texts
from tracker.accounts import passwords, sessions
from tracker.accounts import queries as account_queries
from tracker.catalogue.queries import get_proposal
from tracker.contributions import actions as contributions
from tracker.contributions import queries as contribution_queries
from tracker.db.engine import make_engine
from tracker.db.models import Account
from tracker.db.unit_of_work import transaction
from tracker.followup.actions import edit_followup
from tracker.i18n import t, typography

HOSTILE_TITLE = "<script>alert('x')</script> **gras**"
HOSTILE_DESCRIPTION = (
    "[cliquez ici](javascript:alert(1)) ![image](http://exemple.org/i.png) <b>b</b>"
)


def account_id(url: str, email: str) -> int:
    engine = make_engine(url)
    with transaction(engine) as session:
        found = account_queries.get_account(session, email).id
    engine.dispose()
    return found


def markdown_and_text(app) -> tuple[str, list[str]]:
    markdown = "\n".join(
        str(e.value)
        for kind in ("markdown", "caption", "title", "subheader", "header")
        for e in getattr(app, kind)
    )
    return markdown, [str(e.value) for e in app.text]


@pytest.mark.parametrize(
    ("path", "role_word"),
    [
        ("contributions", "contributeur"),
        ("validation", "secrétariat"),
        ("administration", "administrateur"),
    ],
)
def test_a_visitor_gets_a_clear_message_on_pages_for_other_roles(
    monkeypatch, demo_app_url, path, role_word
):
    app = open_page(monkeypatch, demo_app_url, path)
    assert not app.exception
    assert role_word in " ".join(str(i.value) for i in app.info)


def test_a_contributor_is_told_the_administration_page_is_not_theirs(monkeypatch, demo_app_url):
    lille = account_id(demo_app_url, "lille@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "administration", signed_in=lille)
    assert not app.exception
    assert "administrateur" in " ".join(str(i.value) for i in app.info)
    assert not app.tabs


def test_signing_in_with_the_right_password_sends_the_browser_to_open_its_session(
    monkeypatch, demo_sqlite_url
):
    app = open_page(monkeypatch, demo_sqlite_url, "connexion", next="/contributions")
    app.text_input[0].input("lille@demo.invalid")
    app.text_input[1].input("demo-demo-demo")
    app.button[0].click().run()
    assert not app.exception
    assert "ouverture de votre session" in texts(app)
    form = " ".join(str(e.proto.body) for e in app.get("html"))
    assert 'action="/auth/session"' in form and 'value="/contributions"' in form
    code = re.search(r'name="code" value="([^"]+)"', form).group(1)
    engine = make_engine(demo_sqlite_url)
    with transaction(engine) as session:
        assert sessions.redeem_code(session, code) is not None  # the code opens a session
    engine.dispose()


def test_a_wrong_password_says_nothing_about_the_account(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "connexion")
    app.text_input[0].input("lille@demo.invalid")
    app.text_input[1].input("pas le bon mot de passe")
    app.button[0].click().run()
    known = [str(e.value) for e in app.error]
    app = open_page(monkeypatch, demo_app_url, "connexion")
    app.text_input[0].input("inconnu@demo.invalid")
    app.text_input[1].input("pas le bon mot de passe")
    app.button[0].click().run()
    assert known == [str(e.value) for e in app.error] and "15 minutes" in known[0]
    # No form sending the browser to open a session (the only html left is the
    # page-language script every page carries).
    assert not any("/auth/session" in str(e.proto.body) for e in app.get("html"))


def test_an_idle_session_ends_with_a_message(monkeypatch, demo_app_url):
    lille = account_id(demo_app_url, "lille@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "contributions", signed_in=lille)
    assert app.tabs  # signed in: the page works
    later = datetime.now(UTC) + timedelta(minutes=31)
    monkeypatch.setattr("tracker.ui.auth.clock", lambda: later)
    app.run()
    assert "30 minutes" in texts(app)
    assert not app.tabs
    app.run()  # the message shows once; the session stays ended
    assert "30 minutes" not in texts(app) and not app.tabs


def test_a_contributor_sees_its_own_contributions_only(monkeypatch, demo_app_url):
    lille = account_id(demo_app_url, "lille@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "contributions", signed_in=lille)
    assert not app.exception
    shown = app.dataframe[0].value
    titles = " ".join(shown.iloc[:, 3])
    assert "Saint-Louis" in titles and "Porto-Novo" not in titles


def test_a_returned_contribution_shows_the_reviewers_comment(monkeypatch, demo_app_url):
    lyon = account_id(demo_app_url, "lyon@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "contributions", signed_in=lyon)
    returned = [o for o in app.selectbox[0].options if "label" in o]
    app.selectbox[0].select_index(app.selectbox[0].options.index(returned[0])).run()
    assert any("critères du référentiel" in str(e.value) for e in app.text)


def test_the_reviewer_sees_the_queue_and_validates(monkeypatch, demo_app_url):
    reviewer = account_id(demo_app_url, "secretariat@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "validation", signed_in=reviewer)
    assert not app.exception
    assert any("Plateforme territoriale" in str(e.value) for e in app.text)
    validate = next(b for b in app.button if b.key and b.key.startswith("validate_"))
    validate.click().run()
    assert not app.exception
    assert "validée" in texts(app)
    engine = make_engine(demo_app_url)
    with transaction(engine) as session:
        public = contribution_queries.public_frame(session)
    assert "Plateforme territoriale de données partagée (démonstration)" in set(public["title"])


def test_the_administration_page_lists_accounts_and_the_audit_log(monkeypatch, demo_app_url):
    admin = account_id(demo_app_url, "admin@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "administration", signed_in=admin)
    assert not app.exception
    emails = set(app.dataframe[0].value.iloc[:, 0])
    assert {"admin@demo.invalid", "lyon@demo.invalid"} <= emails
    audit_table = app.dataframe[-1].value  # labels, never the stored codes
    actions = set(audit_table.iloc[:, 3])
    assert t("audit.action.contribution.validate", "fr") in actions
    assert "contribution.validate" not in actions
    assert "None" not in audit_table.to_string()


def test_the_dashboard_shows_validated_contributions_and_a_map(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "/")
    assert not app.exception
    assert "Contributions des collectivités" in texts(app)
    assert "Sénégal (1)" in texts(app)


def test_hostile_text_shows_as_typed_and_never_as_markup(monkeypatch, demo_app_url):
    engine = make_engine(demo_app_url)
    with transaction(engine) as session:
        lille = account_queries.actor_for(
            account_queries.get_account(session, "lille@demo.invalid")
        )
        reviewer = account_queries.actor_for(
            account_queries.get_account(session, "secretariat@demo.invalid")
        )
        item = contributions.create(
            session,
            lille,
            {
                "proposal": 9,
                "title": HOSTILE_TITLE,
                "description": HOSTILE_DESCRIPTION,
                "status": "engagee",
                "progress": 5,
            },
        )
        contributions.submit(session, lille, item.id)
        contributions.validate(session, reviewer, item.id)
    engine.dispose()
    app = open_page(monkeypatch, demo_app_url, "proposition", n="9")
    assert not app.exception
    markdown, plain = markdown_and_text(app)
    assert HOSTILE_TITLE in plain and HOSTILE_DESCRIPTION in plain
    assert (
        "javascript" not in markdown
        and "<script>" not in markdown
        and "exemple.org/i.png" not in markdown
    )


def actor_of_email(session, email: str):
    return account_queries.actor_for(session.scalar(select(Account).where(Account.email == email)))


def test_the_reviewer_edits_the_follow_up_and_a_stale_save_is_refused(monkeypatch, demo_app_url):
    reviewer = account_id(demo_app_url, "secretariat@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "proposition", signed_in=reviewer, n="5")
    assert not app.exception
    area = next(a for a in app.text_area if a.label.startswith("Prochaines"))
    area.input("Nouvelle étape décidée en comité")
    app.button(key="FormSubmitter:followup_5-Enregistrer").click().run()
    assert not app.exception and "Suivi enregistré" in texts(app)
    engine = make_engine(demo_app_url)
    with transaction(engine) as session:
        proposal = get_proposal(session, 5)
        assert proposal.next_steps_fr == "Nouvelle étape décidée en comité"
    engine.dispose()
    # The form is on screen; meanwhile an administrator saves the same proposal.
    app.run()
    with transaction(engine) as session:
        admin = actor_of_email(session, "admin@demo.invalid")
        proposal = get_proposal(session, 5)
        edit_followup(
            session, admin, 5, {"blockers_fr": "Ajouté ailleurs"}, expected_version=proposal.version
        )
    engine.dispose()
    area = next(a for a in app.text_area if a.label.startswith("Prochaines"))
    area.input("Écrasement")
    app.button(key="FormSubmitter:followup_5-Enregistrer").click().run()
    assert "modifiée" in " ".join(str(e.value) for e in app.error)
    with transaction(engine) as session:
        assert get_proposal(session, 5).next_steps_fr == "Nouvelle étape décidée en comité"
    engine.dispose()


def test_a_form_drawn_after_someone_elses_change_saves(monkeypatch, demo_app_url):
    """The version checked is the one the form was drawn from, not the first
    one this browser session saw: Lille corrects a contribution the secretariat
    returned while Lille's page was open on another contribution."""
    lille = account_id(demo_app_url, "lille@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "contributions", signed_in=lille)
    engine = make_engine(demo_app_url)
    with transaction(engine) as session:
        actor = actor_of_email(session, "lille@demo.invalid")
        draft = contributions.create(
            session,
            actor,
            {"proposal": 3, "title": "Premier jet", "status": "engagee", "progress": 10},
        )
        number = draft.id
    app.run()
    app.selectbox(key="contrib_chosen").select(number).run()  # the draft is on screen
    with transaction(engine) as session:
        contributions.submit(session, actor, number)
        reviewer = actor_of_email(session, "secretariat@demo.invalid")
        contributions.send_back(session, reviewer, number, comment="Précisez l’avancement.")
    engine.dispose()
    app.run()  # Lille comes back to the page: the returned version is drawn
    title = next(i for i in app.text_input if i.label == "Titre" and i.value == "Premier jet")
    title.input("Premier jet corrigé")
    app.button(key=f"FormSubmitter:edit_{number}-Enregistrer").click().run()
    assert not app.error, [e.value for e in app.error]
    with transaction(engine) as session:
        assert contribution_queries.get(session, number).title == "Premier jet corrigé"
    engine.dispose()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["contributions", "validation", "administration", "connexion"])
def test_every_new_page_is_fully_translated(monkeypatch, demo_app_url, path, lang):
    admin = account_id(demo_app_url, "admin@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, path, signed_in=admin, lang=lang)
    assert not app.exception
    shown = texts(app) + " ".join(str(b.label) for b in app.button)
    shown += " ".join(
        str(w.label)
        for kind in ("text_input", "text_area", "selectbox")
        for w in getattr(app, kind)
    )
    for prefix in ("auth.", "contrib.", "review.", "admin.", "import."):
        assert prefix not in shown


def test_values_quoted_in_error_messages_cannot_become_markup():
    from tracker.errors import ValidationError
    from tracker.ui.errors import described as _described

    message = _described(
        ValidationError("contrib.bad_link", value="![x](http://e.org/i.png)"), "fr"
    )
    # Quoted as a code span: Markdown shows it literally, no image is made.
    assert "`![x](http://e.org/i.png)`" in message


def test_an_address_with_markup_is_not_an_email_address():
    from tracker.errors import ValidationError

    with pytest.raises(ValidationError):
        passwords.normalise_email("[x](javascript:alert(1))@exemple.fr")


def test_the_new_contribution_form_says_every_problem_at_once_then_submits_and_empties(
    monkeypatch, demo_app_url
):
    lille = account_id(demo_app_url, "lille@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "contributions", signed_in=lille)
    engine = make_engine(demo_app_url)
    with transaction(engine) as session:
        before = len(
            contribution_queries.working_frame(
                session, actor_of_email(session, "lille@demo.invalid")
            )
        )

    def in_form(widgets, form: str = "new_contribution_0"):
        return [w for w in widgets if w.form_id == form]

    [proposal] = [s for s in in_form(app.selectbox) if s.label == "Proposition"]
    assert proposal.value is None  # none pre-selected
    send = "FormSubmitter:new_contribution_0-Enregistrer et soumettre"
    app.button(key=send).click().run()
    shown = [str(e.value) for e in app.error]
    assert "3 problème(s)" in shown[0]  # together at the top…
    for message in (
        typography("Le champ « Proposition » est obligatoire.", "fr"),
        typography("Le champ « Titre » est obligatoire.", "fr"),
        "Indiquez l’avancement, de 0 à 100.",
    ):
        assert message in shown[1:]  # …and each beside its field
    with transaction(engine) as session:
        assert (
            len(
                contribution_queries.working_frame(
                    session, actor_of_email(session, "lille@demo.invalid")
                )
            )
            == before
        )

    next(s for s in in_form(app.selectbox) if s.label == "Proposition").select(3)
    next(i for i in in_form(app.text_input) if i.label == "Titre").input("Atelier")
    in_form(app.number_input)[0].set_value(40)
    app.button(key=send).click().run()
    assert not app.error, [e.value for e in app.error]
    with transaction(engine) as session:
        frame = contribution_queries.working_frame(
            session, actor_of_email(session, "lille@demo.invalid")
        )
        made = frame[frame["title"] == "Atelier"].iloc[0]
    engine.dispose()
    assert made["state"] == "submitted" and made["proposal"] == 3 and made["progress"] == 40
    assert f"Contribution n° {made['id']} créée et soumise au secrétariat." in texts(app)
    emptied = [s for s in app.selectbox if s.label == "Proposition" and s.value is None]
    assert (
        emptied
        and not app.button(key="FormSubmitter:new_contribution_1-Enregistrer et soumettre").disabled
    )
