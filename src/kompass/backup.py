"""Backup and restore of a whole installation: the database as the database itself
snapshots it, the uploaded files, and the catalogue versions loaded from outside the
package.

``kompass export`` carries published evaluations in a portable document; it is not a
backup (accounts, the workspace, the audit trail, revisions and action plans are not in
it). A backup is one tar file:

- ``manifest.json``: format, when, which database, the schema (the last migration of each
  app), and the SHA-256 of every other member;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site
  runs) or ``database.pgdump`` (``pg_dump --format=custom``, one snapshot transaction);
- ``uploads/…``: the evidence and attachment files, copied after the database snapshot,
  so every file a row of the snapshot names is there;
- ``catalogue/…``: the files of ``KOMPASS_CATALOGUE_DIR``, when it is set.

A restore checks the whole archive (format, checksums, the database kind) before it
changes anything, and only goes into an empty installation (no account, no evaluation,
no uploaded file), so it can never mix two installations."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

from kompass.i18n import _
from kompass.stored_files import referenced_files

FORMAT = "kompass-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in one line."""


@dataclass
class BackupReport:
    path: Path
    database: str
    files: int
    bytes: int
    missing: list[str] = field(default_factory=list)  # files a row names that were gone


@dataclass
class RestoreReport:
    database: str
    files: int
    evaluations: int
    users: int


# --- where things are ------------------------------------------------------------------------


def upload_dir() -> Path:
    return Path(settings.KOMPASS_UPLOAD_DIR)


def catalogue_dir() -> Path | None:
    configured = os.environ.get("KOMPASS_CATALOGUE_DIR") or getattr(settings, "KOMPASS_CATALOGUE_DIR", None)
    return Path(configured) if configured else None


def _files_under(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(p for p in directory.rglob("*") if p.is_file() and not p.is_symlink())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _schema() -> dict[str, str]:
    """The last applied migration of every app: a restore needs the same or an older one."""
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


# --- the database -------------------------------------------------------------------------


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432), "--username", db.get("USER") or ""]
    return args, {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(_("%(tool)s saknas: installera PostgreSQL:s klientprogram (apt-get install postgresql-client)") % {"tool": name})
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        raise BackupError(_("%(tool)s misslyckades: %(message)s") % {"tool": Path(command[0]).name, "message": message})


def _snapshot_database(target: Path) -> str:
    """A consistent copy of the database into ``target``; returns its member name."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        args, env = _pg_environment()
        name = settings.DATABASES["default"]["NAME"]
        _run([_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-acl", "--file", str(target), name], env)
        return "database.pgdump"
    raise BackupError(_("databasen %(vendor)s stöds inte för säkerhetskopior") % {"vendor": connection.vendor})


# --- backup -----------------------------------------------------------------------------------


def backup_create(*, output: Path) -> BackupReport:
    """Write a backup of this installation to ``output`` (written beside it, then moved
    into place, so a failed backup never leaves a partial file under the name)."""
    output = Path(output)
    if output.is_dir():
        raise BackupError(_("%(path)s är en mapp; ange en fil") % {"path": output})
    if output.exists() and not output.is_file():  # a device such as /dev/null: the move would replace it
        raise BackupError(_("%(path)s är ingen vanlig fil; ange en fil") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kompass-backup-") as work:
        work = Path(work)
        snapshot = work / "database"
        member = _snapshot_database(snapshot)
        referenced = referenced_files()
        members: list[tuple[str, Path]] = [(member, snapshot)]
        uploads = upload_dir()
        members += [(f"uploads/{p.relative_to(uploads).as_posix()}", p) for p in _files_under(uploads)]
        catalogue = catalogue_dir()
        members += [(f"catalogue/{p.relative_to(catalogue).as_posix()}", p) for p in _files_under(catalogue)]
        present = {name.removeprefix("uploads/") for name, _p in members if name.startswith("uploads/")}
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "schema": _schema(),
            "files": {name: _sha256(path) for name, path in members},
        }
        partial = output.with_name(f".{output.name}.partial")
        try:
            with tarfile.open(partial, "w") as archive:
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                archive.addfile(info, io.BytesIO(data))
                for name, path in members:
                    archive.add(path, arcname=name, recursive=False)
            partial.chmod(0o600)  # it holds every account's password hash
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupReport(
        path=output, database=connection.vendor, files=len(members) - 1, bytes=output.stat().st_size,
        missing=sorted(referenced - present),
    )


# --- restore ---------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError(_("%(path)s: ingen säkerhetskopia från kompass (manifest.json saknas eller är trasig)") % {"path": path.name})
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(_("%(path)s: ingen säkerhetskopia från kompass") % {"path": path.name})
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(_("%(path)s: okänd version %(version)r av formatet") % {"path": path.name, "version": manifest.get("version")})
    return manifest


def _check_members(archive: tarfile.TarFile, manifest: dict, work: Path, path: Path) -> None:
    """Extract every member the manifest names into ``work`` and check its checksum; a
    member outside the manifest, a link or a path leaving the folder is refused."""
    expected = manifest["files"]
    names = [m.name for m in archive.getmembers() if m.name != MANIFEST]
    extra = sorted(set(names) - set(expected))
    missing = sorted(set(expected) - set(names))
    if extra or missing:
        raise BackupError(_("%(path)s: innehållet stämmer inte med manifest.json (saknas: %(missing)s; okända: %(extra)s)")
                          % {"path": path.name, "missing": ", ".join(missing) or "–", "extra": ", ".join(extra) or "–"})
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile():
            raise BackupError(_("%(path)s: %(name)s är ingen vanlig fil") % {"path": path.name, "name": member.name})
        archive.extract(member, work, filter="data")  # refuses absolute paths and ../
        if _sha256(work / member.name) != expected[member.name]:
            raise BackupError(_("%(path)s: %(name)s är skadad (kontrollsumman stämmer inte)") % {"path": path.name, "name": member.name})


def _refuse_unless_empty() -> None:
    from django.contrib.auth import get_user_model

    from kompass.evaluations.models import Evaluation

    problems = []
    if get_user_model().objects.exists():
        problems.append(_("det finns konton"))
    if Evaluation.objects.exists():
        problems.append(_("det finns utvärderingar"))
    if _files_under(upload_dir()):
        problems.append(_("det finns uppladdade filer i %(dir)s") % {"dir": upload_dir()})
    if problems:
        raise BackupError(_("återställning görs bara till en tom installation (kompass init på en ny databas), men %(problems)s")
                          % {"problems": ", ".join(problems)})


def _restore_database(work: Path, manifest: dict) -> None:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(work / "database.sqlite3")
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        args, env = _pg_environment()
        name = settings.DATABASES["default"]["NAME"]
        connection.close()  # pg_restore drops the tables this connection may hold
        _run([_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
              "--dbname", name, str(work / "database.pgdump")], env)


def backup_restore(*, path: Path) -> RestoreReport:
    """Restore a backup into this (empty) installation; checks everything first."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from kompass.evaluations.models import Evaluation

    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s finns inte") % {"path": path})
    try:
        archive = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("%(path)s: ingen läsbar säkerhetskopia (%(error)s)") % {"path": path.name, "error": exc})
    with archive, tempfile.TemporaryDirectory(prefix="kompass-restore-") as work:
        work = Path(work)
        manifest = _read_manifest(archive, path)
        if manifest.get("database") != connection.vendor:
            raise BackupError(
                _("%(path)s är en kopia av en %(theirs)s-databas och kan inte återställas i %(ours)s; flytta data mellan databaser med kompass export och import-dump")
                % {"path": path.name, "theirs": manifest.get("database"), "ours": connection.vendor}
            )
        newer = sorted(app for app, name in (manifest.get("schema") or {}).items() if name > _schema().get(app, ""))
        if newer:
            raise BackupError(_("%(path)s kommer från en nyare version av kompass (%(apps)s); uppdatera först") % {"path": path.name, "apps": ", ".join(newer)})
        _check_members(archive, manifest, work, path)
        _refuse_unless_empty()

        _restore_database(work, manifest)
        call_command("migrate", interactive=False, verbosity=0)  # a backup from an older version
        copied = 0
        for kind, destination in (("uploads", upload_dir()), ("catalogue", catalogue_dir())):
            source = work / kind
            if not source.is_dir():
                continue
            if destination is None:
                raise BackupError(_("kopian har katalogfiler men KOMPASS_CATALOGUE_DIR är inte satt; databasen är återställd, katalogfilerna ligger kvar i kopian"))
            for file in _files_under(source):
                target = destination / file.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)
                copied += 1
    return RestoreReport(database=connection.vendor, files=copied, evaluations=Evaluation.objects.count(), users=get_user_model().objects.count())
