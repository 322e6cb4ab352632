"""The data version: one row raised by database triggers, so that every write that changes
published figures changes it, whichever way it is written (the ORM, bulk writes, raw SQL),
and a write that changes none leaves it alone."""

from decimal import Decimal

import pytest
from django.db import connection

from kompass.evaluations.models import DataVersion, Evaluation, Evaluator, QuestionAssessment, Status
from kompass.evaluations.summaries import DataVersionPerRequest, data_version, summaries_refresh

pytestmark = pytest.mark.django_db


def _published():
    return Evaluation.objects.filter(status=Status.PUBLISHED, municipality__code="1880").order_by("year").last()


def _changes(write) -> None:
    before = data_version()
    write()
    assert data_version() != before


def test_a_summary_refresh_changes_it(demo):
    evaluation = _published()
    _changes(lambda: summaries_refresh([evaluation.pk]))


def test_publishing_and_withdrawing_change_it(demo):
    evaluation = _published()

    def withdraw():
        evaluation.status = Status.CONSENSUS
        evaluation.save()

    def publish():
        evaluation.status = Status.PUBLISHED
        evaluation.save()

    _changes(withdraw)
    _changes(publish)
    # A bulk update sends no signal and rebuilds no summary: the trigger alone.
    _changes(lambda: Evaluation.objects.filter(pk=evaluation.pk).update(status=Status.SCORING))
    _changes(lambda: Evaluation.objects.filter(pk=evaluation.pk).update(status=Status.PUBLISHED))


def test_a_raw_sql_status_update_changes_it(demo):
    evaluation = _published()

    def withdraw():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE evaluations_evaluation SET status = %s WHERE id = %s", ["planned", evaluation.pk])

    _changes(withdraw)


def test_deleting_an_evaluation_changes_it(demo):
    evaluation = _published()
    _changes(evaluation.delete)


def test_deleting_by_raw_sql_changes_it(demo):
    evaluation = _published()

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM evaluations_evaluationsummary WHERE evaluation_id = %s", [evaluation.pk])

    _changes(delete)


def test_a_bulk_score_update_changes_it_with_the_refresh(demo):
    evaluation = _published()
    before = data_version()
    QuestionAssessment.objects.filter(evaluation=evaluation, score__isnull=False).update(score=Decimal("1"))
    summaries_refresh([evaluation.pk])
    assert data_version() != before


def test_a_new_evaluation_changes_it(demo):
    evaluation = _published()
    copy = Evaluation.objects.get(pk=evaluation.pk)
    copy.pk, copy.year = None, 2030
    _changes(lambda: Evaluation.objects.bulk_create([copy]))


def test_a_write_without_published_figures_leaves_it(demo):
    evaluation = _published()
    evaluator = Evaluator.objects.filter(evaluation=evaluation).first() or Evaluator.objects.create(evaluation=evaluation, name="Ny")
    before = data_version()
    evaluator.name = "Ett annat namn"
    evaluator.save()
    Evaluator.objects.filter(evaluation=evaluation).update(organisation="Någon annan")
    # nor does a raw update of another column of the evaluation
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evaluations_evaluation SET publisher = %s WHERE id = %s", ["Utgivaren", evaluation.pk])
    assert data_version() == before


def test_it_is_one_row_and_comes_back_after_a_flush(demo):
    before = data_version()
    assert DataVersion.objects.count() == 1
    DataVersion.objects.all().delete()  # as a flush between tests leaves it
    after = data_version()
    assert after != before and DataVersion.objects.count() == 1
    summaries_refresh([_published().pk])
    assert data_version() != after


def test_it_is_read_once_per_request(demo):
    evaluation = _published()
    seen = []

    def view(request):
        seen.append(data_version())
        summaries_refresh([evaluation.pk])  # within the request the first reading holds
        seen.append(data_version())
        return None

    DataVersionPerRequest(view)(None)
    assert seen[0] == seen[1]
    assert data_version() != seen[0]


def test_the_memory_copy_of_answers_is_bounded_and_only_for_committed_versions(demo, client):
    from kompass.page_cache import RecentAnswers, recent

    answers = RecentAnswers(max_bytes=100)
    for number in range(10):
        answers.put(f"k{number}", (200, [], b"x" * 12))
    assert answers.size <= 100 and answers.get("k0") is None and answers.get("k9") is not None
    answers.put("big", (200, [], b"x" * 50))  # more than an eighth of the whole: not kept
    assert answers.get("big") is None

    recent.clear()
    assert client.get("/").status_code == 200  # inside the test's transaction
    assert recent.size == 0
