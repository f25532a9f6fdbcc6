"""Who is signed in, and the ways in and out.

The browser keeps a session token in an HttpOnly cookie that the
`/auth/session` route sets (`tracker.web.auth_routes`); every script run finds
the server-side session from it (`tracker.accounts.sessions`). Nothing about
who is signed in is cached: each run reads the session again.
"""

from __future__ import annotations

import hashlib
import html
import secrets
import threading
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode, urlsplit

import streamlit as st

from tracker import clock as clocks
from tracker import config
from tracker.accounts import actions as accounts
from tracker.accounts import links, sessions, sso
from tracker.db.engine import reading
from tracker.domain.permissions import VISITOR, Action, Actor
from tracker.errors import ServiceUnavailable
from tracker.i18n import quantity, t
from tracker.ui import page_file
from tracker.ui.database import engine
from tracker.ui.language import current_language, with_language
from tracker.ui.markdown import md_escape
from tracker.ui.outage import service_unavailable_notice
from tracker.web.auth_routes import SESSION_COOKIE, SIGN_IN_PATH, SIGN_OUT_PATH

NOTICE = "auth_notice"  # a message key to show once (session ended…)
SSO_REFUSAL_SHOWN = "sso_refusal_shown"  # cleared at each page run (outage.new_page_run)
LAST_ACTOR = "last_resolved_actor"


def clock() -> datetime:
    """Now, in UTC; tests replace it to move time without sleeping."""
    return clocks.now()


def session_cookie() -> str | None:
    """The session token this page load's request carried, if any. (AppTest
    cannot send cookies: its tests replace this function.)"""
    value = st.context.cookies.get(SESSION_COOKIE)
    return value if isinstance(value, str) else None


def sso_provider() -> str | None:
    """The `st.login` provider configured in `.streamlit/secrets.toml`, if any."""
    try:
        auth = st.secrets.get("auth", {})
    except Exception:  # no secrets file, or one that cannot be read
        return None
    if not auth:
        return None
    # a provider's own section has its client_id ([auth.proconnect]); a table of
    # the default provider's settings ([auth] client_kwargs = {…}) is not one
    named = [key for key, value in auth.items() if hasattr(value, "keys") and "client_id" in value]
    return named[0] if named else "default"


def _provider_settings(provider: str) -> Mapping[str, object]:
    auth = st.secrets.get("auth", {})
    return auth.get(provider, {}) if provider != "default" else auth


_USERINFO: dict[str, dict[str, object]] = {}  # by access token's SHA-256, this process
_USERINFO_LOCK = threading.Lock()
_USERINFO_KEPT = 1000


def _userinfo(metadata_url: str, access_token: str) -> dict[str, object]:
    """The userinfo claims of this access token, fetched once per server
    process (ProConnect's access tokens last 60 seconds: the claims are kept)."""
    key = hashlib.sha256(access_token.encode()).hexdigest()
    with _USERINFO_LOCK:
        if key in _USERINFO:
            return _USERINFO[key]
    claims = sso.userinfo(metadata_url, access_token)
    with _USERINFO_LOCK:
        if len(_USERINFO) >= _USERINFO_KEPT:
            _USERINFO.pop(next(iter(_USERINFO)))
        _USERINFO[key] = claims
    return claims


def sso_claims() -> dict[str, object]:
    """What the provider said: the ID token's claims (`st.user`), with the
    userinfo endpoint's when the access token is exposed (ProConnect)."""
    claims = {k: v for k, v in st.user.to_dict().items() if k != "tokens"}
    provider = sso_provider()
    access = st.user.tokens.get("access") if provider else None
    settings = _provider_settings(provider) if provider else {}
    metadata_url = settings.get("server_metadata_url")
    if access and metadata_url:
        return sso.merged(claims, _userinfo(str(metadata_url), str(access)))
    return claims


def _sso_actor() -> Actor | None:
    """A verified e-mail from single sign-on signs in only to an existing,
    active account; any other is refused, with a message that says why."""
    if sso_provider() is None or not getattr(st.user, "is_logged_in", False):
        return None
    try:
        found = sso.identity(sso_claims(), trust_email=config.sso_email_verified())
    except ServiceUnavailable:
        _sso_refused("auth.sso_userinfo_failed", "")
        return None
    with reading(engine()) as session:
        outcome = sso.resolve(session, found)
    if outcome.refusal:
        _sso_refused(outcome.refusal, found.email)
    return outcome.actor


def _sso_refused(key: str, email: str) -> None:
    """Say once per page run why the provider's identity opens no account,
    and offer to leave the provider's session."""
    if st.session_state.get(SSO_REFUSAL_SHOWN):
        return
    st.session_state[SSO_REFUSAL_SHOWN] = True
    lang = current_language()
    st.error(t(key, lang, email=md_escape(email)), icon=":material/no_accounts:")
    if st.button(t("auth.sso_leave", lang), icon=":material/logout:", key="sso_leave"):
        st.logout()
        st.stop()


def current_actor() -> Actor:
    """The signed-in actor, or VISITOR. A session idle for longer than
    `TRACKER_IDLE_MINUTES` (30 by default) or older than 12 hours ends here
    (with a message, once); a disabled account stops at its next click."""
    token = session_cookie()
    if token:
        try:
            found = sessions.resolve(engine(), token, at=clock())
        except ServiceUnavailable:
            # While the database does not answer nothing can be saved; the person
            # this browser session last resolved keeps the page and its forms.
            remembered = st.session_state.get(LAST_ACTOR)
            if remembered is None or remembered[0] != token:
                raise
            service_unavailable_notice(current_language())
            return remembered[1]
        if found.notice:
            st.session_state[NOTICE] = found.notice
        if found.actor is not None:
            st.session_state[LAST_ACTOR] = (token, found.actor)
            return found.actor
    st.session_state.pop(LAST_ACTOR, None)
    return _sso_actor() or VISITOR


def session_text(key: str, lang: str) -> str:
    """A message about sessions (why one ended, the rules), with this server's
    idle timeout in it."""
    return t(key, lang, minutes=quantity(config.idle_minutes(), lang))


def sign_in(email: str, password: str) -> str | None:
    """Check the password (failures are committed, so that they count); on
    success, the one-time code that the browser exchanges for its session."""
    return accounts.sign_in(engine(), email, password, at=clock(), client=_client()).code


def request_password_reset(email: str, lang: str) -> None:
    """Ask for a reset link (the answer is the same whatever happens)."""
    links.request_reset(engine(), email, client=_client(), lang=lang, at=clock())


def choose_password(token: str, password: str) -> str:
    """Spend a link from an e-mail: the one-time code that opens the session."""
    return links.choose_password(engine(), token, password, at=clock())


def _client() -> str:
    """Who is trying, for the limit on attempts: the connection's IP address, or
    this browser session when it has none (a visitor on localhost)."""
    address = st.context.ip_address
    if address:
        return f"ip:{address}"
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return f"session:{ctx.session_id}" if ctx is not None else ""


def sign_out(lang: str) -> None:
    """End this browser's session now, then have the browser clear its cookie
    (the page stops there); the caller reruns when there was no cookie."""
    token = session_cookie()
    if token:
        sessions.sign_out(engine(), token, at=clock())
    if sso_provider() is not None and getattr(st.user, "is_logged_in", False):
        # Streamlit's route clears its cookie: the page stops here, since a
        # rerun would drop the redirect before the browser follows it
        st.logout()
        st.stop()
    if not token:
        st.session_state[NOTICE] = "auth.signed_out"
        return
    st.info(t("auth.signed_out", lang), icon=":material/logout:")
    post_from_browser(SIGN_OUT_PATH, {"next": with_language("/", lang)}, t("session.leaving", lang))
    st.stop()


def after_sign_in(lang: str) -> str:
    """Where to go once signed in: the page that sent the person here
    (`?next=`, a path of this site only), or the sign-in page's welcome."""
    wanted = sessions.safe_next(st.query_params.get("next"), default="")
    return wanted or with_language("/connexion", lang)


def post_from_browser(path: str, fields: dict[str, str], label: str) -> None:
    """Make the browser POST `fields` to one of this site's routes, as if a
    form were submitted: a Streamlit page cannot redirect nor set a cookie.
    The form submits itself; its button is there if scripts are blocked."""
    form_id = f"tracker-post-{secrets.token_hex(6)}"
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in fields.items()
    )
    st.html(
        f'<form id="{form_id}" method="post" action="{html.escape(path)}">{inputs}'
        f'<button type="submit">{html.escape(label)}</button></form>'
        f'<script>document.getElementById("{form_id}").submit();</script>',
        unsafe_allow_javascript=True,
    )


def open_session_in_browser(code: str, next_path: str, lang: str) -> None:
    """After a password check: send the browser to `/auth/session`, which sets
    the session cookie and comes back to `next_path`."""
    st.info(t("session.opening", lang), icon=":material/login:")
    post_from_browser(
        SIGN_IN_PATH,
        {"code": code, "next": sessions.safe_next(next_path, default="/connexion")},
        t("session.continue", lang),
    )


def here() -> str:
    """This page's path and query, for coming back after signing in."""
    url = st.context.url
    if not url:
        return ""
    path = urlsplit(url).path or "/"
    query = urlencode(st.query_params.to_dict())
    return sessions.safe_next(f"{path}?{query}" if query else path, default="")


def page_for(actor: Actor, action: Action, lang: str, role_key: str) -> None:
    """Stop the page with a clear message for someone who may not use it.
    (The actions refuse anyway: this is only courtesy.)"""
    if actor.may(action):
        return
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(session_text(notice, lang), icon=":material/logout:")
    st.info(t("auth.sign_in_needed", lang, role=t(role_key, lang)), icon=":material/lock:")
    if not actor.signed_in:
        back = here()
        st.page_link(
            page_file("connexion.py"),
            label=t("nav.sign_in", lang),
            icon=":material/login:",
            query_params={"next": back} if back else None,
        )
    st.stop()
