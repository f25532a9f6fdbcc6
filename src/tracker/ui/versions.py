"""The version of a record that the form on screen was drawn from."""

from __future__ import annotations

import streamlit as st


def seen_version(key: str, current: int) -> int:
    """The version of a record that the form on screen was drawn from, so that
    a save made over someone else's is refused rather than silently
    overwriting it; and `current` is remembered for the next run.

    A form is sent in the run after the one that drew it: that run's version is
    the one to check. (Keeping the version first seen in the browser session
    instead refused a contributor's correction of a contribution the
    secretariat had returned meanwhile, although the form showed the returned
    version.)"""
    name = f"seen_version_{key}"
    drawn = int(st.session_state.get(name, current))
    st.session_state[name] = int(current)
    return drawn


def forget_version(key: str) -> None:
    st.session_state.pop(f"seen_version_{key}", None)
