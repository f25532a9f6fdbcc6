"""The header and footer of every page, after the State's design system (DSFR).

The header carries the « bloc-marque » (the Marianne, the ministry's name and
the motto « Liberté, Égalité, Fraternité », drawn by DSFR's own `fr-logo` stylesheet, copied from npm
`@gouvfr/dsfr` by `make fonts` and served at /app/static/dsfr/) and the
service's name; the footer repeats the bloc-marque and carries the legal links
(DSFR requires them, with the accessibility status, on every page).
Everything here is this project's own text, escaped: nobody's input reaches it.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from tracker import style
from tracker.i18n import t
from tracker.ui import page_file

# The State's brand mark is never translated: the ministry's name stays in
# French on the English pages too (as on diplomatie.gouv.fr/en), marked
# `lang="fr"` for screen readers (WCAG 3.1.2).
BLOC_MARQUE = ("Ministère", "de l’Europe", "et des Affaires", "étrangères")
HEADER_KEY = "tracker_header"
FOOTER_KEY = "tracker_footer"
# The pages the footer links to, with their messages; every page shows them.
FOOTER_LINKS = (
    ("mentions_legales.py", "legal.nav"),
    ("donnees_personnelles.py", "privacy.nav"),
    ("accessibilite.py", "a11y.footer_link"),
)


def base_path() -> str:
    """The app's address prefix (`server.baseUrlPath`), "" at the root."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def static_url(path: str) -> str:
    """The address of one of the app's static files, behind any base path."""
    return f"{base_path()}/app/static/{path}"


def _css() -> str:
    return f"""<style>
@import url("{static_url("dsfr/logo.min.css")}");
.tracker-brand {{ display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap; }}
.tracker-brand .fr-logo {{ color: {style.BLACK}; margin: 0; }}
.tracker-service {{ margin: 0; flex: 1 1 24rem; }}
.tracker-service-title {{ margin: 0; font-size: 1.25rem; font-weight: 700; line-height: 1.75rem; }}
.tracker-service-title a {{ color: {style.TEXT}; text-decoration: none; }}
.tracker-service-title a:hover {{ text-decoration: underline; }}
.tracker-service-tagline {{ margin: 0; font-size: 0.875rem; line-height: 1.5rem; color: {style.TEXT_MUTED}; }}
.st-key-{HEADER_KEY} {{ border-bottom: 1px solid {style.RULE}; padding-bottom: 1rem; margin-bottom: 0.5rem;
  box-shadow: 0 8px 8px -8px rgba(0, 0, 18, 0.16); }}
.st-key-{FOOTER_KEY} {{ border-top: 2px solid {style.BLUE_FRANCE}; margin-top: 2.5rem; padding-top: 2rem; }}
.st-key-{FOOTER_KEY} .tracker-footer-text {{ margin: 0; flex: 1 1 24rem; font-size: 0.875rem; line-height: 1.5rem;
  color: {style.TEXT_MUTED}; }}
.st-key-{FOOTER_KEY} [data-testid="stPageLink"] p {{ font-size: 0.75rem; color: {style.TEXT_MUTED}; }}
</style>"""


def _bloc_marque() -> str:
    return '<p class="fr-logo" lang="fr">' + "<br>".join(map(escape, BLOC_MARQUE)) + "</p>"


def header(lang: str) -> None:
    """The bloc-marque, the service's name (a link home) and its baseline."""
    home = escape(f"{base_path()}/?lang={lang}")
    with st.container(key=HEADER_KEY):
        st.html(
            _css()
            + '<div class="tracker-brand">'
            + _bloc_marque()
            + '<div class="tracker-service">'
            + f'<p class="tracker-service-title"><a href="{home}"'
            + f' title="{escape(t("brand.home_title", lang))}">{escape(t("brand.service", lang))}</a></p>'
            + f'<p class="tracker-service-tagline">{escape(t("brand.tagline", lang))}</p>'
            + "</div></div>"
        )


def footer(lang: str) -> None:
    """The bloc-marque again, what the tool is, its licence, and the legal links."""
    with st.container(key=FOOTER_KEY):
        st.html(
            '<div class="tracker-brand">'
            + _bloc_marque()
            + f'<p class="tracker-footer-text">{escape(t("brand.footer_text", lang))}</p>'
            + "</div>"
        )
        with st.container(horizontal=True, gap="medium"):
            for page, key in FOOTER_LINKS:
                st.page_link(page_file(page), label=t(key, lang), query_params={"lang": lang})
        st.html(f'<p class="tracker-footer-text">{escape(t("brand.licence", lang))}</p>')
