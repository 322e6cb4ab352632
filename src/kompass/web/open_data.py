"""Open data pages: /data/ (the licence and whole-database downloads, the files built by
``kompass.opendata``) and /api/dokumentation/ (the API explained, with examples, and
its reference, /api/dokumentation/referens/, drawn in full by the vendored Redoc)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from kompass.api.views import schema_data
from kompass.evaluations.summaries import data_version
from kompass.opendata import files
from kompass.opendata.tables import table_definitions
from kompass.page_cache import cached_answer

CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".sqlite": "application/vnd.sqlite3", ".zip": "application/zip"}
EXAMPLE_LINES = 14  # of an example answer shown on the API page


@require_safe
@cached_answer
def data_page(request):
    built = files.built()
    tables = table_definitions()
    downloads = [
        {"name": name, "size": built.size(name)}
        for name in (files.ZIP_NAMES["csv-sv"], files.ZIP_NAMES["csv"], files.JSON_NAME, files.SQLITE_NAME)
    ]
    rows = [
        {"table": t, "sv": f"csv-sv/{t.name}.csv", "plain": f"csv/{t.name}.csv", "count": _row_count(built, t.name),
         # a phone breaks a long column name after an underscore, not inside a word
         "columns": [(mark_safe(escape(c.name).replace("_", "_<wbr>")), c) for c in t.columns]}
        for t in tables
    ]
    context = {"licence": files.licence(), "built": built, "downloads": downloads, "tables": rows}
    return render(request, "web/data.html", context)


def _row_count(built: files.Built, table: str) -> int:
    # The SQLite file counts exactly (a CSV record may span lines), and is there anyway.
    connection = sqlite3.connect(f"file:{built.folder / files.SQLITE_NAME}?mode=ro", uri=True)
    try:
        return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        connection.close()


def _etag(request, name: str) -> str:
    # The files' folder name: the data version and the files' layout.
    return f'"{data_version()}.{files.layout_key()}"'


@require_safe
@condition(etag_func=_etag)
def data_file(request, name: str):
    """One built file, as a download; any other name is 404 (never a path of our choosing)."""
    path = files.built().path(name)
    if path is None:
        raise Http404
    download = PurePosixPath(name)
    filename = f"kommunkompassen-{download.parent.name}-{download.name}" if download.parent.name else download.name
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[download.suffix])
    response["Cache-Control"] = "no-cache"  # revalidated by its ETag: the data version and layout
    return response


def _titles() -> dict[str, str]:
    # The schema's summaries are English (it is for programs); the page names them in Swedish.
    return {
        "/api/municipalities": _("Kommuner, med antalet publicerade utvärderingar"),
        "/api/evaluations": _("Publicerade utvärderingar, sida för sida"),
        "/api/evaluations/{id}": _("En utvärdering: poäng per område och delfråga"),
        "/api/benchmark": _("Jämförelsestatistik för en version"),
        "/api/search": _("Sök goda exempel"),
    }


def api_examples() -> list[dict]:
    """Each operation of the schema with its example request and the start of its answer."""
    titles = _titles()
    examples = []
    for path, operations in schema_data()["paths"].items():
        operation = operations.get("get") or {}
        if "x-example" not in operation:
            continue
        content = operation.get("responses", {}).get("200", {}).get("content", {})
        answer = content.get("application/json", {}).get("example")
        lines = json.dumps(answer, ensure_ascii=False, indent=2).splitlines() if answer is not None else []
        examples.append({
            "path": path, "title": titles.get(path, operation.get("summary", "")), "request": operation["x-example"],
            "answer": "\n".join(lines[:EXAMPLE_LINES] + (["  …"] if len(lines) > EXAMPLE_LINES else [])),
            "csv": "text/csv" in content,
        })
    return examples


@require_safe
@cached_answer
def api_docs(request):
    return render(request, "web/api_docs.html", {"examples": api_examples(), "licence": files.licence()})


@require_safe
@cached_answer
def api_reference(request):
    """Every operation in full, drawn by the vendored Redoc from /api/openapi.json."""
    return render(request, "web/api_reference.html")
