"""What shows that a page is in the wrong language, and how to find every page.

`STREAMLIT_ENGLISH` lists the texts Streamlit 1.67 writes by itself, in
English, whatever the page's language (read from its front-end bundle and from
the pages in a browser); none may be seen or read on a French page.
`FRENCH_ONLY` lists common French words that English never uses; none may be
on an English page outside the names that are French in every language.
"""

from __future__ import annotations

import csv
import re
from urllib.parse import urlsplit

from tests.conftest import ROOT

# Whole texts (a text, a label read by assistive technologies, a placeholder).
STREAMLIT_ENGLISH = (
    "Skip to main content",
    "Sidebar",
    "App pages",
    "Collapse sidebar",
    "Expand sidebar",
    "Main menu",
    "Link to heading",
    "Running...",
    "Stop",
    "Close",
    "Upload",
    "Browse files",
    "Add files",
    "file upload",
    "Drag and drop file here",
    "Drag and drop a file here",
    "Drag and drop files here",
    "Open",
    "Choose an option",
    "Choose options",
    "No options to select",
    "No results",
    "Select all",
    "Clear all",
    "Clear value",
    "Show password",
    "Hide password",
    "Clear entry",
    "Increment",
    "Decrement",
    "Press Enter to submit form",
    "Press Enter to apply",
    "Press Ctrl+Enter to apply",
    "Choose date",
    "Clear date",
    "Search",
    "Close Search",
    "Download as CSV",
    "Fullscreen",
    "Close fullscreen",
    "Show/hide columns",
    "Add row",
    "Delete row(s)",
    "No data",
    "progress",
)
# Streamlit's sentences with a value inside.
STREAMLIT_ENGLISH_SENTENCES = (
    re.compile(r"^Help for "),
    re.compile(r"^(day|month|year), "),
    re.compile(r"\b[0-9.]+(B|KB|MB|GB) per file\b"),
    re.compile(r"^Drag and drop .* here$"),
    re.compile(r"^File must be .* or smaller\.$"),
    re.compile(r"files are not allowed\.$"),
    re.compile(r"^Remove .+"),
)

# Words that are French and never English (checked as whole words, any case).
FRENCH_ONLY = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "une",
        "aux",
        "avec",
        "pour",
        "sur",
        "dans",
        "pas",
        "aucun",
        "aucune",
        "est",
        "sont",
        "être",
        "télécharger",
        "rechercher",
        "aide",
        "choisir",
        "choisissez",
        "fermer",
        "ouvrir",
        "enregistrer",
        "parcourir",
        "glissez-déposez",
        "fichier",
        "fichiers",
        "statut",
        "avancement",
        "échéance",
        "séance",
        "séances",
        "thème",
        "thèmes",
        "porteur",
        "porteurs",
        "connexion",
        "déconnexion",
        "jour",
        "mois",
        "année",
        "réalisée",
        "réalisées",
        "engagée",
        "évaluée",
        "évaluées",
        "tableau",
        "barre",
        "latérale",
        "principal",
        "contenu",
        "aller",
    ]
)
# French in every language: names of places and bodies, the report's title,
# the name of the language itself.
FRENCH_NAMES = (
    "Français",
    "Banque des Territoires",
    "Défenseur des droits",
    "Vers un modèle français des villes intelligentes partagées",
    "Métropole",
    "Métropole Européenne de Lille",
    "Caisse des Dépôts",
    "Agence française de développement",
    "Libre réponse",
    "villes-internet.net",
    "Délégation pour l’action extérieure des collectivités territoriales",
    "Commission nationale de la coopération décentralisée",
)
# What people wrote is shown as they wrote it (the demonstration's
# contributions are written in French).
PEOPLES_TEXTS = tuple(
    sorted(
        {
            value
            for row in csv.DictReader((ROOT / "data" / "demo" / "contributions.csv").open())
            for name in ("title", "description", "partner_authority", "review_comment")
            if (value := row[name].strip())
        },
        key=len,
        reverse=True,
    )
)
_WORD = re.compile(r"[\wÀ-ÿœŒ’'-]+")


def english_offenders(items: list[str]) -> list[str]:
    """The items that are Streamlit's English texts."""
    found = []
    for item in items:
        text = item.split(":", 1)[1].strip()
        if text in STREAMLIT_ENGLISH or any(s.search(text) for s in STREAMLIT_ENGLISH_SENTENCES):
            found.append(item)
    return found


def french_offenders(items: list[str]) -> list[str]:
    """The items that hold a French-only word, once French names are set aside."""
    found = []
    for item in items:
        # a text said to be the French one (« Next steps (French): … ») is
        lines = item.split(":", 1)[1].splitlines()
        text = " ".join(line for line in lines if "(French)" not in line)
        for name in FRENCH_NAMES:
            text = text.replace(name, " ")
        for written in PEOPLES_TEXTS:
            text = text.replace(written, " ")
        text = re.sub(r"«[^»]*»", " ", text)  # a quotation, in its own language
        text = re.sub(r"/[\w/-]+", " ", text)  # addresses
        words = {w.lower().strip("’'-") for w in _WORD.findall(text)}
        if words & FRENCH_ONLY:
            found.append(item)
    return found


# What a page shows and reads out: its visible lines of text (not the names of
# icons, drawn by a font) and the labels, placeholders and titles of its
# elements, each as « kind: text ». A passage marked in another language than
# the page's (`lang`, WCAG 3.1.2: the State's bloc-marque stays French on the
# English pages) is in that language by declaration, and is left out.
PAGE_TEXTS = """() => {
  const page = document.documentElement.lang;
  const foreign = (element) => {
    const marked = element.closest("[lang]");
    return marked && marked !== document.documentElement && marked.lang !== page;
  };
  const icons = "[data-testid='stIconMaterial'], [data-testid='stSidebarNavLinkIcon'] span,"
    + " .material-symbols-rounded, [translate='no']";
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement, text = node.nodeValue.trim();
    if (!text || !parent || parent.closest(icons)) continue;
    if (parent.closest("script, style, textarea, [contenteditable='true']")) continue;
    if (!parent.checkVisibility() || foreign(parent)) continue;
    seen.add("text: " + text);
  }
  const names = ["aria-label", "placeholder", "title", "aria-placeholder", "aria-valuetext"];
  for (const element of document.querySelectorAll(names.map((n) => `[${n}]`).join(","))) {
    if (!element.checkVisibility() && element.tagName !== "INPUT") continue;
    if (foreign(element)) continue;
    for (const name of names) {
      const value = element.getAttribute(name);
      if (value && value.trim()) seen.add(name + ": " + value.trim());
    }
  }
  return [...seen];
}"""

# The application's own pages that the menu does not list (they need an
# address: one proposal, one session, a password link).
HIDDEN_PAGES = ("/proposition?n=3", "/seance?id=1", "/mot-de-passe")

# Every internal link of the menu and of the page (the footer's legal pages).
LINKS = """() => [...document.querySelectorAll("[data-testid='stSidebarNav'] a, a[href]")]
  .map((a) => a.href).filter((href) => href.startsWith(location.origin))"""


def page_paths(hrefs: list[str]) -> list[str]:
    """One address per page (the first seen), without `lang=`, keeping
    the other parameters: `/proposition?n=3`."""
    paths: dict[str, str] = {}
    for href in [*hrefs, *HIDDEN_PAGES]:
        parts = urlsplit(href)
        if parts.path.startswith(("/api/", "/app/static", "/_stcore", "/auth")):
            continue
        query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("lang="))
        paths.setdefault(parts.path or "/", parts.path + (f"?{query}" if query else ""))
    return sorted(paths.values())
