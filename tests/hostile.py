"""What hostile or careless people type: the cases every input is tried with.

Each case has a name (for test ids) and the text. None of them is a valid
proposal number, theme, status or owner code.
"""

from __future__ import annotations

HOSTILE: dict[str, str] = {
    # HTML and script
    "script": "<script>window.__pwned = 1; alert('xss')</script>",
    "img-onerror": '<img src=x onerror="window.__pwned=1;alert(1)">',
    "svg-onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "attribute-break": '" autofocus onfocus="alert(1)',
    "style-tag": "<style>body{display:none}</style>",
    "html-entity": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "template": "{{7*7}}${7*7}<%= 7*7 %>",
    # Markdown links, images and Streamlit's own Markdown extensions
    "md-js-link": "[cliquez ici](javascript:alert(1))",
    "md-js-link-encoded": "[x](jav&#x61;script:alert(1))",
    "md-image": "![pixel](https://tracker.invalid/pixel.png)",
    "md-autolink": "<javascript:alert(1)>",
    "md-data-link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-heading": "# Titre injecté",
    "md-colour": ":red[alerte rouge] :material/warning:",
    "md-maths": "$\\href{javascript:alert(1)}{x}$",
    "md-backticks": "``` `code` ```",
    # control characters and Unicode tricks
    "null-byte": "solidaire\x00<script>",
    "control-chars": "a\x01\x02\x07\x08\x1b[31mrouge\x1b[0m",
    "newlines": "ligne 1\r\nligne 2\n\n# titre",
    "rtl-override": "\u202egnp.exe\u202c",
    "bidi-isolates": "\u2066abc\u2069\u200f",
    "zero-width": "soli\u200bdaire",
    "bom": "\ufeffconnectee",
    "lone-surrogate-escape": "\\ud800",
    "emoji-zwj": "👩\u200d💻",
    # SQL meta-characters
    "sql-quote": "' OR '1'='1",
    "sql-drop": "1; DROP TABLE proposals; --",
    "sql-comment": "solidaire'/*",
    "sql-like": "%_%",
    "sql-union": "1 UNION SELECT password FROM accounts",
    # spreadsheet formulas
    "formula-eq": '=HYPERLINK("https://tracker.invalid","x")',
    "formula-plus": "+cmd|' /C calc'!A0",
    "formula-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    # numbers that are not numbers
    "superscript-digit": "²",
    "arabic-digits": "٣",
    "double-minus": "--5",
    "negative": "-1",
    "float": "1.5",
    "huge": "9" * 400,
    # paths and URLs
    "path-traversal": "../../etc/passwd",
    "url-encoded": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    # size
    "overlong": "x" * 5000,
    "overlong-unicode": "é" * 3000,
    "whitespace-only": " \t ",
}

CASES = sorted(HOSTILE.items())
IDS = [name for name, _ in CASES]
