"""Migration 0002 goes up and down cleanly on SQLite and PostgreSQL."""

from sqlalchemy import inspect

from tracker.db.engine import alembic_config, current_revision, make_engine, upgrade


def test_migration_0002_upgrades_and_downgrades(any_url):
    from alembic import command

    engine = make_engine(any_url)
    upgrade(engine, "0002")
    assert current_revision(engine) == "0002"
    assert {"accounts", "contributions", "contribution_versions", "audit_log"} <= set(
        inspect(engine).get_table_names()
    )
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0001")
    assert "audit_log" not in set(inspect(engine).get_table_names())
    upgrade(engine, "0002")
    assert current_revision(engine) == "0002"
    engine.dispose()
