"""The models and the newest migration agree, on whichever database this run uses."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate

from app.extensions import db


def test_models_match_the_newest_migration(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_database_is_at_the_single_head(app_ctx):
    migrate: Migrate = app_ctx.extensions["migrate"]
    config = migrate.migrate.get_config(migrate.directory)
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)


def test_migration_files_are_numbered_and_named():
    import re
    from pathlib import Path

    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    names = sorted(p.name for p in versions.glob("*.py"))
    assert names
    for number, name in enumerate(names, start=1):
        assert re.fullmatch(rf"{number:04d}_[a-z]+(_[a-z0-9]+)*\.py", name), name
