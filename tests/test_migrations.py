"""The migrations: in step with the models, and squashed so that an installation that ran
the original migrations (and a backup that names them) carries on."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

KOMPASS_APPS = ("actions", "benchmark", "catalogue", "evaluations", "municipalities", "search", "workspace")


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero on a change
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_every_squashed_migration_is_recorded_under_the_names_it_replaces():
    """Django records a squashed migration under the names it replaces, which is exactly
    what an installation made before the squash has: its plan is empty, and a backup's
    manifest (the last name per app) compares the same way on both."""
    loader = MigrationLoader(connection)
    applied = set(MigrationRecorder(connection).applied_migrations())
    squashed = [m for (app, _), m in loader.disk_migrations.items() if app in KOMPASS_APPS and m.replaces]
    assert {m.app_label for m in squashed} == {"benchmark", "catalogue", "evaluations", "municipalities", "workspace"}
    for migration in squashed:
        assert set(migration.replaces) <= applied, migration.name
    assert ("evaluations", "0007_area_assessment_rationale") in applied
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
