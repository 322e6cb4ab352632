"""`kompass backup` → `kompass restore` into an empty installation gives the same
installation (issue 13, finding 6: `export` → `import-dump` had lost accounts, the
workspace, uploaded files, the audit trail, revisions and action plans).

The backup is made in-process from the test database (committed data: a transactional
test), the restore by the installed command into a new installation — a new SQLite file,
or on PostgreSQL a new database on the same server — and the two are compared whole."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import KOMPASS, bring_to_consensus, write_all_texts

pytestmark = pytest.mark.django_db(transaction=True)

# What must come back: accounts and the whole workspace, evaluations, action plans.
APPS = ["auth.user", "workspace", "actions", "evaluations"]


def _dump() -> list:
    out = io.StringIO()
    call_command("dumpdata", *APPS, stdout=out)
    return _records(out.getvalue())


def _records(dumped: str) -> list:
    """The rows, sorted; the data version and the cache scopes' counters left out: they are
    keys of cached answers, not data, and the master data that migrate refreshes after a
    restore raises them by trigger (which only draws cached pages afresh)."""
    rows = [o for o in json.loads(dumped) if o["model"] not in ("evaluations.dataversion", "evaluations.scopeversion")]
    return sorted(rows, key=lambda o: (o["model"], str(o["pk"])))


@pytest.fixture
def target(tmp_path):
    """A new, empty installation (`kompass init`), run through the installed command."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KOMPASS_VAR_DIR"] = str(tmp_path / "target")
    database = None
    if connection.vendor == "postgresql":
        database = f"kompass_restore_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        db = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{database}"

    def run(*args):
        return subprocess.run([str(KOMPASS), *map(str, args)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    assert run("init").returncode == 0
    run.uploads = tmp_path / "target" / "uploads"
    yield run
    if database:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def installation(team, tmp_path, settings):
    """Örebro 2026 published through the workspace, with an evidence file, an audit trail,
    a revision, and an action for its improvement area."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    from kompass.actions import services as actions
    from kompass.actions.selectors import plan_get
    from kompass.workspace import services

    settings.KOMPASS_UPLOAD_DIR = tmp_path / "uploads"
    evaluation = team.evaluation
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=72, height=72)
    writer.write(buffer)
    services.evidence_add(
        evaluation=evaluation, by=team.anna, kind="document", date=evaluation.created_at.date(), question_codes=["1.1"],
        upload=SimpleUploadedFile("styrdokument.pdf", buffer.getvalue(), content_type="application/pdf"),
    )
    bring_to_consensus(team)
    services.consensus_accept_unanimous(evaluation=evaluation, by=team.anna)
    write_all_texts(team)
    services.findings_list_set(evaluation=evaluation, by=team.anna, area_number=1, kind="improvement", items=["Tillgång till handlingar"])
    services.publish(evaluation=team.refresh(), by=team.admin)
    improvement = plan_get(evaluation.municipality).improvements[0]
    actions.action_add(improvement_id=improvement.pk, title="Diariet på webben", due="2027-12-31")
    return team


def test_backup_and_restore_give_the_same_installation(installation, target, tmp_path, settings):
    from kompass.backup import backup_create
    from kompass.dump.export import export_document

    copy = tmp_path / "kopia.tar"
    report = backup_create(output=copy)
    assert report.missing == [] and report.files == 1
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    before_export, before_dump = export_document(), _dump()
    uploaded = {p.name: p.read_bytes() for p in Path(settings.KOMPASS_UPLOAD_DIR).rglob("*") if p.is_file()}

    restored = target("restore", copy)
    assert restored.returncode == 0, restored.stderr
    assert "Återställt" in restored.stdout

    exported = target("export", "--output", tmp_path / "efter.json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads((tmp_path / "efter.json").read_text()) == json.loads(json.dumps(before_export))
    dumped = target("manage", "dumpdata", *APPS)
    assert dumped.returncode == 0, dumped.stderr
    assert _records(dumped.stdout) == before_dump
    assert {p.name: p.read_bytes() for p in target.uploads.rglob("*") if p.is_file()} == uploaded
    kinds = {o["model"] for o in before_dump}
    assert {"auth.user", "workspace.independentscore", "workspace.evidence", "workspace.auditentry",
            "workspace.revision", "actions.action"} <= kinds

    # Into an installation that is no longer empty: refused, nothing changed.
    again = target("restore", copy)
    assert again.returncode != 0 and "tom installation" in again.stderr
    assert target("manage", "dumpdata", *APPS).stdout == dumped.stdout


def test_a_damaged_or_foreign_archive_changes_nothing(installation, target, tmp_path):
    from kompass.backup import backup_create

    copy = tmp_path / "kopia.tar"
    backup_create(output=copy)
    empty = target("manage", "dumpdata", *APPS).stdout

    damaged = tmp_path / "skadad.tar"
    with tarfile.open(copy) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.addfile(member, io.BytesIO(data))
    foreign = tmp_path / "annan.tar"
    with tarfile.open(copy) as source, tarfile.open(foreign, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["database"] = "oracle"
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    (tmp_path / "inget.tar").write_bytes(b"inte en tar-fil")

    for path, message in ((damaged, "kontrollsumman"), (foreign, "oracle"), (tmp_path / "inget.tar", "ingen läsbar"),
                          (tmp_path / "saknas.tar", "finns inte")):
        result = target("restore", path)
        assert result.returncode != 0 and message in result.stderr, (path, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert target("manage", "dumpdata", *APPS).stdout == empty
    assert not [p for p in target.uploads.rglob("*") if p.is_file()]


def test_orphan_uploads_are_cleaned_up(installation, settings, run_cli):
    import time

    directory = Path(settings.KOMPASS_UPLOAD_DIR)
    kept = {p.name for p in directory.iterdir()}
    assert len(kept) == 1
    old_orphan, young_orphan, foreign = directory / ("a" * 32 + ".pdf"), directory / ("b" * 32 + ".pdf"), directory / "LÄSMIG.txt"
    for path in (old_orphan, young_orphan, foreign):
        path.write_bytes(b"%PDF-1.7 left behind")
    hours_ago = time.time() - 2 * 3600
    for path in (old_orphan, foreign, *(directory / name for name in kept)):
        os.utime(path, (hours_ago, hours_ago))
    code, out, err = run_cli("uploads-clean", "--dry-run")
    assert code == 0 and out.split() == [old_orphan.name] and "Skulle ta bort 1" in err
    assert old_orphan.exists()
    code, out, err = run_cli("uploads-clean")
    assert code == 0 and out.split() == [old_orphan.name]
    assert {p.name for p in directory.iterdir()} == kept | {young_orphan.name, foreign.name}


def test_a_backup_never_replaces_a_device_or_pipe(tmp_path):
    """`--output /dev/null` as root would have moved the archive over the device node."""
    import os
    import stat

    from kompass.backup import BackupError, backup_create

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(BackupError, match="ingen vanlig fil"):
        backup_create(output=pipe)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
