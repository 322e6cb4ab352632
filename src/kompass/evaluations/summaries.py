"""The derived-score cache (``EvaluationSummary``) and the data version.

Every change of an evaluation's scores or status refreshes its summary when the
transaction commits (signals, so that no write path can forget it); bulk writers call
``summaries_refresh`` themselves. The numbers come from ``scoring.summarise`` alone.
The data version (``DataVersion``) is raised by database triggers on every write of a
summary and every insert, delete and change of status of an evaluation."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from kompass import scoring
from kompass.code_version import code_stamp
from kompass.catalogue import definitions
from kompass.evaluations.models import DataVersion, Evaluation, EvaluationSummary
from kompass.evaluations.selectors import evaluation_scoresheets

BATCH = 500


def summaries_refresh(evaluation_ids: Iterable[int]) -> int:
    """Recompute the summaries of these evaluations in batches; returns how many."""
    ids = sorted(set(evaluation_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        done += _refresh_batch(batch)
    return done


def _refresh_batch(ids: list[int]) -> int:
    evaluations = list(Evaluation.objects.filter(pk__in=ids).select_related("framework").only(
        "pk", "total_score", "total_low", "total_high", "framework__code"
    ))
    sheets = evaluation_scoresheets(evaluations)
    rows = []
    for evaluation in evaluations:
        result = scoring.summarise(definitions.get(evaluation.framework.code), sheets[evaluation.pk])
        rows.append(
            EvaluationSummary(
                evaluation_id=evaluation.pk,
                total=result.total.score if result.total.known else None,
                areas={str(a.area.number): str(a.score.score) for a in result.areas if a.score.known},
            )
        )
    EvaluationSummary.objects.filter(evaluation_id__in=ids).delete()
    EvaluationSummary.objects.bulk_create(rows)
    return len(rows)


def summaries_missing() -> int:
    """Refresh every evaluation without a summary (after a migration or a bulk load)."""
    missing = Evaluation.objects.filter(summary__isnull=True).values_list("pk", flat=True)
    return summaries_refresh(list(missing))


def refresh_on_commit(evaluation_id: int) -> None:
    """Drop one evaluation's summary now and rebuild it when the transaction commits; many
    changes to one evaluation in one transaction rebuild it once. A reader that comes
    first (in the same transaction) rebuilds what is missing itself: see data_version."""
    EvaluationSummary.objects.filter(evaluation_id=evaluation_id).delete()
    _missing.possible = True
    transaction.on_commit(lambda: _refresh_if_missing(evaluation_id))


def _refresh_if_missing(evaluation_id: int) -> None:
    if not EvaluationSummary.objects.filter(evaluation_id=evaluation_id).exists():
        summaries_refresh(Evaluation.objects.filter(pk=evaluation_id).values_list("pk", flat=True))


# Set when this process dropped a summary whose rebuild waits for a commit: a read in the
# same transaction (or a test, whose transaction never commits) rebuilds it first. Other
# processes only ever see committed data, whose summaries are rebuilt on commit.
_missing = threading.local()


def summaries_ensure() -> None:
    """Rebuild summaries this process may have dropped, before reading them."""
    if getattr(_missing, "possible", False):
        _missing.possible = False
        if EvaluationSummary.objects.count() != Evaluation.objects.count():
            summaries_missing()


_request = threading.local()


class DataVersionPerRequest:
    """Middleware: the data version is read once per request, however many cached
    figures the page uses (a request sees one state of the data anyway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.version = None
        _request.active = True
        try:
            return self.get_response(request)
        finally:
            _request.active = False
            _request.version = None


def data_version() -> str:
    if getattr(_request, "active", False):
        if _request.version is None:
            _request.version = _data_version()
        return _request.version
    return _data_version()


def _data_version() -> str:
    """Changes whenever a summary changes or an evaluation is added, deleted, published or
    withdrawn: the key for caches of derived figures. One row by its key, raised by
    database triggers (``DataVersion``), so it costs the same at any scale."""
    summaries_ensure()
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    if row is None:  # a database emptied by a flush (tests): a new epoch, so no old key recurs
        version, _created = DataVersion.objects.get_or_create(pk=1, defaults={"epoch": secrets.token_hex(8)})
        row = (version.epoch, version.counter)
    return f"{row[0]}.{row[1]}"


_VERSION_SQL = f"SELECT epoch, counter FROM {DataVersion._meta.db_table} WHERE id = 1"


def derived(key: str, compute, *, timeout: int = 7 * 24 * 60 * 60):
    """A figure derived from the data (statistics, comparisons, drawn charts), computed
    once per data version and code in the shared cache: every copy goes stale at once
    when the data or the code changes, and old ones expire."""
    full = f"derived:{code_stamp()}:{data_version()}:{key}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, timeout=timeout)
    return value


def data_version_raise() -> None:
    """A new data version for a public change the triggers do not see (a municipality
    publishing its action plan): every cached public answer is rendered afresh."""
    DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1)
