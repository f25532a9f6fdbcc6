"""The opening of a signed-in work page (contributions, validation,
administration): title, demonstration notice, who may use it, and the message
left by the last save."""

from __future__ import annotations

import streamlit as st

from tracker.domain.permissions import Action, Actor
from tracker.i18n import t
from tracker.ui.auth import current_actor, page_for
from tracker.ui.cache import Snapshot, snapshot
from tracker.ui.language import current_language
from tracker.ui.widgets import demo_banner


def work_page(
    title_key: str, action: Action, role_key: str, flash_key: str
) -> tuple[str, Actor, Snapshot]:
    """Open a work page; stop it, with a way to sign in, for someone who may not
    use it. Returns (language, actor, data).

    The message after a save (`st.session_state[flash_key]`) has its place even
    when empty, so that the elements below (the tabs) keep their position and
    the browser keeps the tab someone is on."""
    lang = current_language()
    actor = current_actor()
    data = snapshot()
    st.title(t(title_key, lang))
    demo_banner(data.is_demo, lang)
    page_for(actor, action, lang, role_key)
    slot = st.empty()
    flash = st.session_state.pop(flash_key, None)
    if flash:
        slot.success(flash, icon=":material/check_circle:")
    return lang, actor, data
