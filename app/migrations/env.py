"""Alembic environment: one migration history for SpatiaLite and PostGIS.

geoalchemy2.alembic_helpers teaches autogenerate and the operations about spatial columns and
indexes on both databases; render_as_batch lets SQLite alter tables.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from geoalchemy2 import alembic_helpers

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def include_object(obj, name, type_, reflected, compare_to):
    """Leave SpatiaLite's and PostGIS's own tables out of autogenerate."""
    if type_ == "table" and reflected and compare_to is None:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def run_migrations_online() -> None:
    """Run migrations on the app's engine."""

    def process_revision_directives(ctx, revision, directives):
        # No empty migration files when autogenerate finds nothing.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")
            return
        # Spatial columns and indexes become GeoAlchemy2's portable operations.
        alembic_helpers.writer.process_revision_directives(ctx, revision, directives)

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            include_object=include_object,
            process_revision_directives=conf_args.pop("process_revision_directives"),
            render_item=alembic_helpers.render_item,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run them against a database.")
run_migrations_online()
