"""Reading a received e-mail as its recipient would: its text, its link."""

from __future__ import annotations

import re
from email import message_from_string, policy
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

LINK = re.compile(r"https?://\S+/mot-de-passe\?\S+")


def plain_text(message: EmailMessage | str) -> str:
    if isinstance(message, str):
        message = message_from_string(message, policy=policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def password_link(message: EmailMessage | str) -> str:
    found = LINK.findall(plain_text(message))
    assert found, "no link to /mot-de-passe in the message"
    return found[0]


def link_token(message: EmailMessage | str) -> str:
    return parse_qs(urlsplit(password_link(message)).query)["jeton"][0]
