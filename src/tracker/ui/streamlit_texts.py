"""Streamlit's own texts in French.

Streamlit 1.67 has no language setting: its widgets write their own words in
English (« Drag and drop file here », « Upload », « Search », « Help for… »,
« Skip to main content ») and no parameter changes them. A small script in the
page puts them in French while the interface is in French, and puts the
originals back when it switches to English (without reloading the page):

- only whole texts, exactly as Streamlit writes them, and a few of its
  sentences with a value inside (« 10MB per file • CSV, XLSX »), are replaced;
  a text that holds anything else is left alone;
- never inside what the application writes (Markdown, plain text, code) or
  what people type (inputs, text areas);
- in visible text and in what assistive technologies read (`aria-label`,
  `placeholder`, `title`).

What the script cannot reach (the grid's cells drawn on a canvas, the
calendar's month and day names, which follow the browser's language) is
listed in the accessibility statement.
"""

from __future__ import annotations

import json

from tracker.i18n import typography

# Streamlit's exact texts (English) and their French, as a French public
# service writes them.
_FRENCH = {
    # the page
    "Skip to main content": "Aller au contenu principal",
    "Sidebar": "Barre latérale",
    "App pages": "Pages de l’application",
    "Collapse sidebar": "Replier la barre latérale",
    "Expand sidebar": "Déplier la barre latérale",
    "Main menu": "Menu principal",
    "Link to heading": "Lien vers ce titre",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Close": "Fermer",
    "Scroll tabs left": "Onglets précédents",
    "Scroll tabs right": "Onglets suivants",
    # file uploader
    "Upload": "Choisir un fichier",
    "Browse files": "Parcourir les fichiers",
    "Add files": "Ajouter des fichiers",
    "file upload": "dépôt de fichier",
    "Drag and drop file here": "Glissez-déposez un fichier ici",
    "Drag and drop a file here": "Glissez-déposez un fichier ici",
    "Drag and drop files here": "Glissez-déposez des fichiers ici",
    "File size is too small.": "Le fichier est trop petit.",
    "Only one file is allowed.": "Un seul fichier est admis.",
    "Unexpected error. Please try again.": "Erreur inattendue. Veuillez réessayer.",
    # select boxes
    "Open": "Ouvrir",
    "Choose an option": "Choisissez une option",
    "Choose options": "Choisissez des options",
    "No options to select": "Aucune option à choisir",
    "No results": "Aucun résultat",
    "Select all": "Tout sélectionner",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer la valeur",
    "Selected values": "Valeurs choisies",
    # text and number inputs, forms
    "Show password": "Afficher les caractères saisis",
    "Hide password": "Masquer les caractères saisis",
    "Clear entry": "Effacer la saisie",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Press Enter to submit form": "Appuyez sur Entrée pour envoyer le formulaire",
    "Press Enter to apply": "Appuyez sur Entrée pour valider",
    "Press Ctrl+Enter to apply": "Appuyez sur Ctrl+Entrée pour valider",
    "Press Ctrl+Enter to submit form": "Appuyez sur Ctrl+Entrée pour envoyer le formulaire",
    "Press ⌘+Enter to apply": "Appuyez sur ⌘+Entrée pour valider",
    "Press ⌘+Enter to submit form": "Appuyez sur ⌘+Entrée pour envoyer le formulaire",
    # date inputs
    "Choose date": "Choisir une date",
    "Clear date": "Effacer la date",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": (
        "Flèches pour changer de date, Entrée pour choisir, Échap pour fermer."
    ),
    # tables (the grid's toolbar and menus)
    "Search": "Rechercher dans le tableau",
    "Close Search": "Fermer la recherche",
    "Next Result": "Résultat suivant",
    "Previous Result": "Résultat précédent",
    "Download as CSV": "Télécharger en CSV",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Dataframe column menu": "Menu de la colonne",
    "Copy column name": "Copier le nom de la colonne",
    "Add row": "Ajouter une ligne",
    "Delete row(s)": "Supprimer les lignes",
    "Clear selection": "Effacer la sélection",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Hide column": "Masquer la colonne",
    "Autosize": "Largeur automatique",
    "No data": "Aucune donnée",
    "progress": "barre de progression",
}

_UNITS = {"B": "o", "KB": "Ko", "MB": "Mo", "GB": "Go"}
_DATE_PARTS = {
    "day": "jour",
    "month": "mois",
    "year": "année",
    "hour": "heure",
    "minute": "minute",
    "second": "seconde",
    "AM/PM": "matin ou après-midi",
}

# Streamlit's sentences with a value inside: a regular expression on its
# English text and the French, where {1}, {2}… are the groups as they are,
# {w1}, {w2}… the groups translated with WORDS and {n1}, {n2}… numbers written
# with a decimal comma (« 10.0 » → « 10 », « 1.5 » → « 1,5 »).
_SENTENCES = [
    (r"^Help for (.+)$", "Aide : {1}"),
    (r"^(day|month|year|hour|minute|second|AM/PM), (.+)$", "{w1}, {2}"),
    (r"^([0-9.]+)(B|KB|MB|GB) per file( • .*)?$", "{n1} {w2} par fichier{3}"),
    (r"^Drag and drop (.+) here$", "Glissez-déposez ici : {1}"),
    (
        r"^File must be ([0-9.]+)(B|KB|MB|GB) or smaller\.$",
        "Le fichier doit faire {n1} {w2} au plus.",
    ),
    (r"^(.+) files are not allowed\.$", "Les fichiers {1} ne sont pas admis."),
    (r"^Remove (.+)$", "Retirer {1}"),
    (r"^Cancel upload of (.+)$", "Annuler l’envoi de {1}"),
]

STREAMLIT_FRENCH: dict[str, str] = {en: typography(fr, "fr") for en, fr in _FRENCH.items()}
SENTENCES: list[tuple[str, str]] = [(rule, typography(fr, "fr")) for rule, fr in _SENTENCES]
WORDS: dict[str, str] = {**_UNITS, **_DATE_PARTS}

# What the script never touches: what the application writes (Markdown, plain
# text, code, icons' names) and, for texts, what people type; Streamlit's own
# controls drawn inside Markdown (the « Link to heading » of a title, the
# uploader's button) are its.
WRITTEN = (
    "[data-testid='stMarkdownContainer'], [data-testid='stText'], [data-testid='stCode'],"
    " [data-testid='stIconMaterial'], script, style"
)
TYPED = "textarea, input, [contenteditable='true']"
STREAMLITS = "[data-testid='stHeaderActionElements'], [data-testid='stFileUploaderDropzone']"
ATTRIBUTES = ("aria-label", "placeholder", "title", "aria-placeholder")

_SCRIPT = """<script>(() => {
  const lang = __LANG__;
  if (!window.__trackerTexts) {
    const EXACT = __EXACT__, SENTENCES = __SENTENCES__, WORDS = __WORDS__;
    const WRITTEN = __WRITTEN__, TYPED = __TYPED__, STREAMLITS = __STREAMLITS__;
    const ATTRIBUTES = __ATTRIBUTES__;
    const rules = SENTENCES.map(([rule, to]) => [new RegExp(rule), to]);
    const texts = new WeakMap();  // text node -> [original, French]
    const attributes = new WeakMap();  // element -> {name: [original, French]}
    const state = { lang: "fr" };
    const french = (text) => {
      const bare = text.trim();
      if (!bare) return null;
      let found = Object.prototype.hasOwnProperty.call(EXACT, bare) ? EXACT[bare] : null;
      for (const [rule, to] of rules) {
        if (found !== null) break;
        const match = bare.match(rule);
        if (match) found = to.replace(/\\{([wn]?)(\\d)\\}/g, (_, how, i) => {
          const value = match[i] ?? "";
          if (how === "w") return WORDS[value] ?? value;
          if (how === "n") return value.replace(/\\.0+$/, "").replace(".", ",");
          return value;
        });
      }
      return found === null ? null : text.replace(bare, found);
    };
    const ours = (element, typed) => !element
      || (typed && element.closest(TYPED) !== null)
      || (element.closest(WRITTEN) !== null && element.closest(STREAMLITS) === null);
    const text = (node) => {
      if (ours(node.parentElement, true)) return;
      const known = texts.get(node), value = node.nodeValue;
      if (state.lang === "fr") {
        if (known && known[1] === value) return;
        const found = french(value);
        if (found !== null) { texts.set(node, [value, found]); node.nodeValue = found; }
      } else if (known && known[1] === value) {
        node.nodeValue = known[0];
      }
    };
    const attribute = (element, name) => {
      const value = element.getAttribute(name);
      if (value === null || ours(element, false)) return;
      const known = (attributes.get(element) || {})[name];
      if (state.lang === "fr") {
        if (known && known[1] === value) return;
        const found = french(value);
        if (found !== null) {
          attributes.set(element, { ...(attributes.get(element) || {}), [name]: [value, found] });
          element.setAttribute(name, found);
        }
      } else if (known && known[1] === value) {
        element.setAttribute(name, known[0]);
      }
    };
    const tree = (root) => {
      if (root.nodeType === Node.TEXT_NODE) return text(root);
      if (root.nodeType !== Node.ELEMENT_NODE) return;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) text(node);
      const selector = ATTRIBUTES.map((name) => `[${name}]`).join(",");
      for (const element of [root, ...root.querySelectorAll(selector)]) {
        for (const name of ATTRIBUTES) if (element.hasAttribute(name)) attribute(element, name);
      }
    };
    new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === "childList") change.addedNodes.forEach(tree);
        else if (change.type === "characterData") text(change.target);
        else attribute(change.target, change.attributeName);
      }
    }).observe(document.documentElement, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ATTRIBUTES,
    });
    window.__trackerTexts = {
      apply(next) { state.lang = next; tree(document.body); },
    };
  }
  window.__trackerTexts.apply(lang);
})();</script>"""


def texts_script(lang: str) -> str:
    """The script that keeps Streamlit's texts in the interface's language
    (built from our own constants and the language code only)."""
    code = "fr" if lang == "fr" else "en"
    parts = {
        "__LANG__": json.dumps(code),
        "__EXACT__": json.dumps(STREAMLIT_FRENCH, ensure_ascii=False),
        "__SENTENCES__": json.dumps(SENTENCES, ensure_ascii=False),
        "__WORDS__": json.dumps(WORDS, ensure_ascii=False),
        "__WRITTEN__": json.dumps(WRITTEN),
        "__TYPED__": json.dumps(TYPED),
        "__STREAMLITS__": json.dumps(STREAMLITS),
        "__ATTRIBUTES__": json.dumps(list(ATTRIBUTES)),
    }
    script = _SCRIPT
    for name, value in parts.items():
        script = script.replace(name, value.replace("</", "<\\/"))
    return script
