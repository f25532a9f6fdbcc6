"""What the server does when it starts, before anyone opens a page: prepare
the database (migrate, load the catalogue, the demonstration data when
`TRACKER_DEMO` asks for it). Right after `make run`, the command line then
sees the same data as the first visitor. With `TRACKER_SMTP_URL` set, the
server also delivers the outbox in a background thread (`tracker.mail.sender`)
until it stops, unless `TRACKER_MAIL_SENDER=0` leaves that to other processes.

A database that does not answer at start does not stop the server: the error
is logged, and pages say so clearly (and prepare it as soon as it answers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.concurrency import run_in_threadpool

from tracker import config, logs
from tracker.db.engine import shared_engine
from tracker.mail.sender import BackgroundSender
from tracker.operations.startup import prepared_engine


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    try:
        engine = await run_in_threadpool(prepared_engine)
    except Exception as error:  # the database is down, or refuses the migration
        logs.error(type(error).__name__, key="startup.database_not_prepared")
    else:
        logs.event("startup.database_prepared", backend=engine.dialect.name)
    mail = None
    if config.smtp_url() and config.mail_sender_in_server():
        # the database's one engine, even when it was not ready yet: the
        # sender's rounds wait for it
        mail = BackgroundSender(shared_engine()).start()
        logs.event("startup.mail_sender")
    try:
        yield
    finally:
        if mail is not None:
            await run_in_threadpool(mail.stop)
