"""Structured logs: one line per change and per error.

`TRACKER_LOG_FORMAT=json` writes one JSON object a line (for a log collector);
otherwise `key=value` pairs. A line carries names and identifiers only, never
a value someone typed: no password, hash, token, e-mail address or contact.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from tracker import config

LOGGER_NAME = "tracker"
EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
SECRET_WORDS = ("password", "hash", "token", "secret", "contact")


def _safe(value: object) -> object:
    """Identifiers pass; an e-mail address or anything secret-looking does not."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    text = str(value)
    return EMAIL.sub("[redacted]", text)


def _fields(fields: dict[str, object]) -> dict[str, object]:
    clean: dict[str, object] = {}
    for key, value in fields.items():
        if any(word in key.lower() for word in SECRET_WORDS):
            continue
        clean[key] = _safe(value)
    return clean


class _Formatter(logging.Formatter):
    def __init__(self, as_json: bool) -> None:
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if self.as_json:
            return json.dumps(line, ensure_ascii=False, default=str)
        return " ".join(f"{key}={_text(value)}" for key, value in line.items())


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if (" " in text or not text) else text


def logger() -> logging.Logger:
    """The tracker's logger, writing to standard error once configured."""
    log = logging.getLogger(LOGGER_NAME)
    wanted = config.json_logs()
    handler = next((h for h in log.handlers if getattr(h, "tracker", False)), None)
    if handler is None or handler.formatter.as_json != wanted:  # type: ignore[union-attr]
        if handler is not None:
            log.removeHandler(handler)
        handler = logging.StreamHandler(sys.stderr)
        handler.tracker = True  # type: ignore[attr-defined]
        handler.setFormatter(_Formatter(wanted))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = True
    return log


def change(action: str, **fields: object) -> None:
    """A change committed to the database."""
    logger().info(action, extra={"fields": _fields({"kind": "change", **fields})})


def error(name: str, **fields: object) -> None:
    """An error a user met (named), or an unexpected one."""
    logger().warning(name, extra={"fields": _fields({"kind": "error", **fields})})


def event(name: str, **fields: object) -> None:
    """Something the server did by itself (it started, prepared its database)."""
    logger().info(name, extra={"fields": _fields({"kind": "event", **fields})})
