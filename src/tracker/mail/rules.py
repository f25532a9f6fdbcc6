"""What a message is and how delivery behaves: pure rules, no I/O.

- `SmtpTarget.parse`: `TRACKER_SMTP_URL` read once, with its TLS mode.
- `compose`: one `EmailMessage` (plain text and an HTML alternative,
  `Message-ID`, `Date`, `List-Unsubscribe` on notifications) from message
  keys, in the recipient's language. Never a password: links only.
- `next_attempt`: the backoff between delivery attempts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from tracker.errors import ValidationError
from tracker.i18n import colon, language, t

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8, 16 minutes: the last try ~31 min later
CLAIM_LEASE = timedelta(minutes=5)  # a sender that died leaves its claim this long


class Kind:
    """The messages the tracker sends."""

    INVITATION = "invitation"
    RESET = "reset"
    CONTRIBUTION_RETURNED = "contribution_returned"
    CONTRIBUTION_VALIDATED = "contribution_validated"
    CONTRIBUTION_SUBMITTED = "contribution_submitted"
    SUBMISSION_DIGEST = "submission_digest"
    SESSION_REMINDER = "session_reminder"

    NOTIFICATIONS = frozenset(
        {
            CONTRIBUTION_RETURNED,
            CONTRIBUTION_VALIDATED,
            CONTRIBUTION_SUBMITTED,
            SUBMISSION_DIGEST,
            SESSION_REMINDER,
        }
    )


class SubmissionMail:
    """How a secretariat account hears of submitted contributions."""

    IMMEDIATE = "immediate"  # one message per submission (one per bulk import)
    DIGEST = "digest"  # one message a day, for the day before
    OFF = "off"

    ALL = (IMMEDIATE, DIGEST, OFF)


DEFAULT_REMINDER_DAYS = 7
MAX_REMINDER_DAYS = 90


class State:
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: str  # "starttls", "implicit" or "none"
    user: str = ""
    password: str = ""

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        """`smtp://[user:password@]host[:port][?tls=none]` or `smtps://…`."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValidationError("mail.bad_smtp_url")
        query = parse_qs(parts.query)
        if parts.scheme == "smtps":
            tls, default_port = "implicit", 465
        elif query.get("tls") == ["none"]:
            tls, default_port = "none", 25
        else:
            tls, default_port = "starttls", 587
        try:
            port = parts.port or default_port
        except ValueError:
            raise ValidationError("mail.bad_smtp_url") from None
        return cls(
            host=parts.hostname,
            port=port,
            tls=tls,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
        )


def next_attempt(attempts: int, at: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts; None after the last."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return at + FIRST_RETRY * 2 ** (attempts - 1)


@dataclass(frozen=True)
class Content:
    """What a message says, as message keys: a subject, paragraphs, an optional
    button (label and link), in the recipient's language."""

    kind: str
    subject: str
    paragraphs: tuple[str, ...]
    link_label: str = ""
    link: str = ""
    params: tuple[tuple[str, object], ...] = ()


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


def compose(
    content: Content,
    *,
    recipient: str,
    lang: str,
    sender: str,
    at: datetime,
    settings_link: str = "",
) -> EmailMessage:
    """The message, in `lang`, ready for the outbox."""
    lang = language(lang)
    params = dict(content.params)
    subject = t(content.subject, lang, **params)
    paragraphs = [t(key, lang, **params) for key in content.paragraphs]
    footer = [t("mail.footer", lang)]
    if content.kind in Kind.NOTIFICATIONS and settings_link:
        footer.append(t("mail.footer_settings", lang, link=settings_link))

    text = "\n\n".join(paragraphs)
    if content.link:
        text += f"\n\n{t(content.link_label, lang)}{colon(lang)}\n{content.link}"
    text += "\n\n-- \n" + "\n".join(footer) + "\n"

    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if content.link:
        body += (
            f'<p><a href="{html.escape(content.link, quote=True)}" '
            f'style="display:inline-block;padding:10px 16px;background:#000091;color:#ffffff;'
            f'text-decoration:none">{html.escape(t(content.link_label, lang))}</a></p>'
            f"<p>{html.escape(t('mail.link_fallback', lang))}<br>{html.escape(content.link)}</p>"
        )
    body += '<hr><p style="color:#555555;font-size:90%">' + "<br>".join(
        html.escape(f) for f in footer
    )
    body += "</p>"
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>{body}</body></html>"
    )

    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(addr_spec=recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    message["Content-Language"] = lang
    message["Auto-Submitted"] = "auto-generated"
    if content.kind in Kind.NOTIFICATIONS and settings_link:
        message["List-Unsubscribe"] = f"<{settings_link}>"
    message.set_content(text)
    message.add_alternative(page, subtype="html")
    return message
