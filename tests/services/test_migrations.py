from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table on the metadata)
from services import db


def test_migrations_match_models(database):
    with db.get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)

    assert differences == [], "run Alembic autogenerate: the models and the migrations differ"


def test_migrate_twice_changes_nothing(database):
    db.migrate(database)

    with db.get_engine().connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
