"""The download files, built once per data version into ``<var>/opendata/<version>.<layout>/``.

The folder's name is the data version and the files' layout (``layout_key``). The first
request after the published data changed builds them; every other request (in
this process or another worker) serves the same files. Building happens under an
exclusive file lock, into a temporary folder that is renamed into place when complete,
so two first requests at once build once and nobody ever reads half a file. Folders of
older versions are removed, all but the one before (a download may still be reading it;
on Linux an open file outlives its removal anyway).

Files: ``csv/<table>.csv`` (``,`` and decimal point, UTF-8), ``csv-sv/<table>.csv``
(``;`` and decimal comma, UTF-8 with BOM, for Swedish spreadsheets), a ZIP of each set
with a README, ``kommunkompassen.json`` and ``kommunkompassen.sqlite``."""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation

from kompass.csv_files import csv_document
from kompass.evaluations.summaries import data_version
from kompass.i18n import _
from kompass.opendata.tables import BOOLEAN, DATE, DECIMAL, INTEGER, Table, json_value, table_definitions, tables_read

JSON_NAME, SQLITE_NAME = "kommunkompassen.json", "kommunkompassen.sqlite"
CSV_SETS = {"csv": False, "csv-sv": True}  # folder -> Swedish dialect
ZIP_NAMES = {"csv": "kommunkompassen-csv.zip", "csv-sv": "kommunkompassen-csv-sv.zip"}
KEPT_VERSIONS = 2
LAYOUT = 1  # raise when the files change in a way the table definitions do not show

# Known licences by SPDX id: a name and where to read it. Others are shown as given.
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Erkännande 4.0 (CC BY 4.0)", "https://creativecommons.org/licenses/by/4.0/deed.sv"),
    "CC0-1.0": ("Creative Commons Zero 1.0 (CC0)", "https://creativecommons.org/publicdomain/zero/1.0/deed.sv"),
    "CC-BY-SA-4.0": ("Creative Commons Erkännande-DelaLika 4.0 (CC BY-SA 4.0)", "https://creativecommons.org/licenses/by-sa/4.0/deed.sv"),
    "ODbL-1.0": ("Open Database License 1.0 (ODbL)", "https://opendatacommons.org/licenses/odbl/1-0/"),
}


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    url: str
    attribution: str


def licence() -> Licence:
    """The data's licence: ``KOMPASS_DATA_LICENCE`` (an SPDX id, default CC-BY-4.0), its
    name and address (``KOMPASS_DATA_LICENCE_URL`` for one not known here) and how to
    credit the source (``KOMPASS_DATA_ATTRIBUTION``)."""
    ident = settings.KOMPASS_DATA_LICENCE
    name, url = LICENCES.get(ident, (ident, ""))
    return Licence(ident, name, settings.KOMPASS_DATA_LICENCE_URL or url, settings.KOMPASS_DATA_ATTRIBUTION)


def root() -> Path:
    return Path(settings.VAR_DIR) / "opendata"


@dataclass(frozen=True)
class Built:
    """The files of one data version: ``folder`` holds them (``path`` gives each by its name)."""

    version: str
    folder: Path
    built_at: datetime.datetime

    def path(self, name: str) -> Path | None:
        """The file a download name stands for (``csv-sv/kommuner.csv``, ``kommunkompassen.json``),
        None for any name that is not one of the built files."""
        if name not in downloadable_names():
            return None
        return self.folder / name

    def size(self, name: str) -> int:
        return (self.folder / name).stat().st_size


def downloadable_names() -> set[str]:
    """Every name a download can ask for; nothing else under the folder is ever served."""
    names = {JSON_NAME, SQLITE_NAME, *ZIP_NAMES.values()}
    for folder in CSV_SETS:
        names.update(f"{folder}/{t.name}.csv" for t in table_definitions())
    return names


def layout_key() -> str:
    """What the files' shape depends on besides the data: the tables and their columns. In
    the folder's name, so that a new release with another shape builds anew on the same data."""
    shape = [(t.name, [(c.name, c.type) for c in t.columns]) for t in table_definitions()]
    return hashlib.sha256(json.dumps([LAYOUT, shape]).encode()).hexdigest()[:10]


def built(version: str | None = None) -> Built:
    """The files of the current data version, built first if they are not there yet."""
    version = version or data_version()
    base = root()
    folder = base / f"{version}.{layout_key()}"
    if not (folder / "complete").exists():
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(base / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # waits while another request or worker builds
            try:
                if not (folder / "complete").exists():
                    # Built once for every visitor: in the site's language, never the
                    # language of whoever happened to ask first (column names are codes).
                    with translation.override(settings.LANGUAGE_CODE):
                        _build(folder, version)
                    _remove_old(base, keep=folder.name)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    stamp = (folder / "complete").read_text().strip()
    return Built(version, folder, datetime.datetime.fromisoformat(stamp))


def _build(folder: Path, version: str) -> None:
    """Every file into a temporary folder beside ``folder``, renamed into place whole."""
    started = time.monotonic()
    tables = tables_read()
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        meta = _meta(version, now)
        for name, swedish in CSV_SETS.items():
            _write_csv_set(work, name, tables, swedish, meta)
        _write_json(work / JSON_NAME, tables, meta)
        _write_sqlite(work / SQLITE_NAME, tables, meta)
        (work / "complete").write_text(now.isoformat() + "\n")
        if folder.exists():  # a build that died before its rename: never served, replace it
            shutil.rmtree(folder)
        os.rename(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    build_seconds[version] = time.monotonic() - started


build_seconds: dict[str, float] = {}  # for the tests and measurements: how long each build took


def _remove_old(base: Path, keep: str) -> None:
    """Under the lock: older versions' folders, and what a build that died left behind."""
    for stale in base.glob(".*-*"):
        shutil.rmtree(stale, ignore_errors=True)
    folders = [p for p in base.iterdir() if p.is_dir() and p.name != keep and (p / "complete").exists()]
    folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEPT_VERSIONS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _meta(version: str, now: datetime.datetime) -> dict:
    chosen = licence()
    return {
        "title": "Kommunkompassen – öppna data",
        "description": _("Publicerade utvärderingar enligt Kommunkompassen, som allmänheten ser dem."),
        "licence": {"id": chosen.id, "name": chosen.name, "url": chosen.url},
        "attribution": chosen.attribution,
        "data_version": version,
        "generated_at": now.isoformat(),
    }


def _write_csv_set(work: Path, name: str, tables: list[Table], swedish: bool, meta: dict) -> None:
    folder = work / name
    folder.mkdir()
    encoding = "utf-8-sig" if swedish else "utf-8"  # the BOM tells Excel the file is UTF-8
    for table in tables:
        rows = ([_csv_plain(value) for value in row] for row in table.rows)
        text = csv_document(table.header, rows, swedish=swedish)
        (folder / f"{table.name}.csv").write_text(text, encoding=encoding, newline="")
    with zipfile.ZipFile(work / ZIP_NAMES[name], "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LASMIG.txt", _readme(tables, meta, swedish))
        for table in tables:
            archive.write(folder / f"{table.name}.csv", f"{table.name}.csv")


def _csv_plain(value):
    """Booleans as ``true``/``false`` (Python would write "True"); the rest as ``csv_cell`` does."""
    return ("true" if value else "false") if isinstance(value, bool) else value


def _readme(tables: list[Table], meta: dict, swedish: bool) -> str:
    dialect = _("semikolon som avgränsare, decimalkomma, UTF-8 med BOM") if swedish else _("komma som avgränsare, decimalpunkt, UTF-8")
    lines = [
        meta["title"], "", meta["description"], "",
        _("Licens: %(name)s %(url)s") % meta["licence"],
        _("Ange källa: %(attribution)s") % meta, _("Dataversion: %(data_version)s, skapad %(generated_at)s") % meta,
        _("Format: CSV (%(dialect)s).") % {"dialect": dialect}, "",
    ]
    for table in tables:
        lines += [f"{table.name}.csv — {table.description}"]
        lines += [f"  {c.name} ({c.type}): {c.description}" for c in table.columns]
        lines.append("")
    return "\r\n".join(lines)


def _write_json(path: Path, tables: list[Table], meta: dict) -> None:
    document = {
        **meta,
        "tables": {
            t.name: {
                "description": t.description,
                "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in t.columns],
                "rows": [dict(zip(t.header, map(json_value, row))) for row in t.rows],
            }
            for t in tables
        },
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")  # dumps: far faster than dump's many writes


SQL_TYPES = {INTEGER: "INTEGER", BOOLEAN: "INTEGER", DECIMAL: "NUMERIC", DATE: "TEXT"}


def _sql_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return str(value) if hasattr(value, "as_tuple") else value  # Decimal: NUMERIC keeps its value


def _write_sqlite(path: Path, tables: list[Table], meta: dict) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT)")
            flat = {**{k: v for k, v in meta.items() if k != "licence"}, **{f"licence_{k}": v for k, v in meta["licence"].items()}}
            connection.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(flat.items()))
            connection.execute("CREATE TABLE columns (table_name TEXT, column_name TEXT, type TEXT, description TEXT)")
            for table in tables:
                columns = ", ".join(f'"{c.name}" {SQL_TYPES.get(c.type, "TEXT")}' for c in table.columns)
                connection.execute(f'CREATE TABLE "{table.name}" ({columns})')
                marks = ", ".join("?" * len(table.columns))
                connection.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', ([_sql_value(v) for v in row] for row in table.rows))
                connection.executemany(
                    "INSERT INTO columns VALUES (?, ?, ?, ?)", [(table.name, c.name, c.type, c.description) for c in table.columns]
                )
    finally:
        connection.close()
