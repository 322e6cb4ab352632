"""Notifications: who is told what, in the workspace and by e-mail (after the commit, as
each user chooses), never about their own action; a failing mail server undoes nothing;
the list and the choices pages; the municipality's "our answers are done"."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from conftest import bring_to_consensus, score_everything, write_all_texts
from kompass.notifications import selectors
from kompass.notifications import services as notifications
from kompass.notifications.models import AnswersDone, Kind, Notification
from kompass.workspace import services
from kompass.workspace.models import AuditEntry


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _with_email(*users):
    for user in users:
        get_user_model().objects.filter(pk=user.pk).update(email=f"{user.username}@example.se")
        user.refresh_from_db()


def _told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.mark.django_db
def test_sharing_reaches_the_contacts_mailbox_after_the_commit(team, mailoutbox, django_capture_on_commit_callbacks):
    _with_email(team.contact, team.stranger, team.anna, team.admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    assert mailoutbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["kontakt@example.se"]]  # not Stockholm's contact, not the evaluators
    mail = mailoutbox[0]
    assert mail.subject == "Kommunkompassen: Utvärderingen Örebro kommun 2026 är delad med er"
    assert "Hej Karin," in mail.body
    assert f"http://127.0.0.1:8000/arbete/{team.evaluation.pk}/forfragan/" in mail.body
    assert "/arbete/aviseringar/installningar/" in mail.body
    assert mail.content_subtype == "plain"
    assert _told(Kind.SHARED) == ["kontakt"]
    # Sharing again, or unsharing, tells nobody anything new.
    with django_capture_on_commit_callbacks(execute=True):
        services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
        services.share_set(evaluation=team.evaluation, shared=False, by=team.admin)
    assert len(mailoutbox) == 1 and Notification.objects.filter(kind=Kind.SHARED).count() == 1


@pytest.mark.django_db
def test_the_contacts_page_and_the_header_show_it(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    client = _client(team.contact)
    page = client.get("/arbete/").content.decode()
    assert 'class="notifications-link">Aviseringar<span class="visually-hidden"> </span><span class="badge">1<span class="visually-hidden"> olästa</span>' in page
    # A 404 reads the same whatever has happened: no count there.
    missing = client.get("/arbete/999999/")
    assert missing.status_code == 404 and 'class="badge"' not in missing.content.decode()
    listing = client.get("/arbete/aviseringar/").content.decode()
    assert "Utvärderingen Örebro kommun 2026 är delad med er." in listing and "1 oläst." in listing
    notification = Notification.objects.get(user=team.contact)
    # Following the link marks it read and leads to the page.
    answer = client.get(f"/arbete/aviseringar/{notification.pk}/")
    assert answer.status_code == 302 and answer["Location"] == f"/arbete/{team.evaluation.pk}/forfragan/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "0 olästa." in client.get("/arbete/aviseringar/").content.decode()
    # Someone else's notification is not found.
    assert _client(team.stranger).get(f"/arbete/aviseringar/{notification.pk}/").status_code == 404


@pytest.mark.django_db
def test_mark_as_read_one_or_all(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    services.previsit_done_set(evaluation=team.evaluation, by=team.contact, done=True)
    anna = _client(team.anna)
    (mine,) = Notification.objects.filter(user=team.anna, kind=Kind.ANSWERED)
    assert anna.post("/arbete/aviseringar/lasta/", {"id": str(mine.pk)}).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.get(user=team.bo, kind=Kind.ANSWERED).read_at is None  # only one's own
    bo = _client(team.bo)
    bo.post("/arbete/aviseringar/lasta/", {"id": str(mine.pk)})  # Anna's: changes nothing
    for odd in ("99999999999999999999", "abc", "", "1.0"):  # never a 500, never "all"
        assert bo.post("/arbete/aviseringar/lasta/", {"id": odd}).status_code == 302
    assert bo.get("/arbete/aviseringar/?olasta=1").content.decode().count('class="unread"') == 2  # answered and assigned
    bo.post("/arbete/aviseringar/lasta/", {})
    assert selectors.unread_count(team.bo) == 0
    assert "Inga olästa aviseringar." in bo.get("/arbete/aviseringar/?olasta=1").content.decode()
    assert bo.get("/arbete/aviseringar/lasta/").status_code == 405
    assert Client().get("/arbete/aviseringar/").status_code == 302  # to the login page


@pytest.mark.django_db
def test_who_gets_what_and_never_their_own_action(team, mailoutbox, django_capture_on_commit_callbacks):
    _with_email(team.admin, team.anna, team.bo, team.carl, team.contact, team.stranger)
    with django_capture_on_commit_callbacks(execute=True):
        services.share_set(evaluation=team.evaluation, shared=True, by=team.anna)  # Anna leads (first assigned)
        services.previsit_done_set(evaluation=team.evaluation, by=team.contact, done=True)
        services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
        services.status_set(evaluation=team.evaluation, status="scoring", by=team.admin)
        score_everything(team, team.anna)
        score_everything(team, team.bo)
        services.scoring_submit(evaluation=team.evaluation, user=team.bo)
        assert _told(Kind.CONSENSUS_READY) == []  # Anna has not handed in yet
        services.scoring_submit(evaluation=team.evaluation, user=team.anna)
    assert _told(Kind.SHARED) == ["kontakt"]
    assert _told(Kind.ANSWERED) == ["anna", "bo"]
    assert _told(Kind.HANDED_IN) == ["anna"]  # the lead, of Bo's; Anna is not told of her own
    assert _told(Kind.CONSENSUS_READY) == ["bo"]  # Anna's hand-in made it ready: Bo is told
    assert Notification.objects.get(kind=Kind.HANDED_IN).text == "Bo Ek har lämnat in sina poäng för Örebro kommun 2026."
    with django_capture_on_commit_callbacks(execute=True):
        services.status_set(evaluation=team.evaluation, status="consensus", by=team.anna)
        services.consensus_accept_unanimous(evaluation=team.evaluation, by=team.anna)
        write_all_texts(team)
        services.publish(evaluation=team.evaluation, by=team.admin)
    assert _told(Kind.PUBLISHED) == ["anna", "bo", "kontakt"]  # not Carl, not Stockholm, not the admin who published
    published = Notification.objects.filter(kind=Kind.PUBLISHED).first()
    assert published.path == f"/utvardering/{team.evaluation.pk}/"
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        f"{u}@example.se" for u in ["kontakt", "anna", "bo", "anna", "bo", "anna", "bo", "kontakt"]
    )
    assert not any(m.to == ["admin@example.se"] or m.to == ["carl@example.se"] for m in mailoutbox)


@pytest.mark.django_db
def test_choices_are_respected(team, mailoutbox, django_capture_on_commit_callbacks):
    _with_email(team.anna, team.bo, team.contact)
    anna = _client(team.anna)
    page = anna.get("/arbete/aviseringar/installningar/").content.decode()
    assert "Kommunen har besvarat förfrågan" in page and "E-post skickas till anna@example.se." in page
    assert "Utvärderingen delas med kommunen" not in page  # a contact's kind
    # Anna: answered only by e-mail; Bo: nothing of it.
    answer = anna.post("/arbete/aviseringar/installningar/", {"answered-email": "on", "published-app": "on", "published-email": "on"})
    assert answer.status_code == 302 and answer["Location"].endswith("?sparat=1")
    assert "Dina val är sparade." in anna.get(answer["Location"]).content.decode()
    _client(team.bo).post("/arbete/aviseringar/installningar/", {})
    assert selectors.choices_of(team.anna)[Kind.ANSWERED] == (False, True)
    assert selectors.choices_of(team.anna)[Kind.HANDED_IN] == (False, False)  # unticked on the form
    assert selectors.choices_of(team.contact)[Kind.SHARED] == (True, True)  # the default
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.previsit_done_set(evaluation=team.evaluation, by=team.contact, done=True)
    assert _told(Kind.ANSWERED) == []
    assert [m.to for m in mailoutbox] == [["anna@example.se"]]
    # A contact sees their own kinds; an administrator is told there are none.
    assert "Utvärderingen delas med kommunen" in _client(team.contact).get("/arbete/aviseringar/installningar/").content.decode()
    assert "Ditt konto får inga aviseringar" in _client(team.admin).get("/arbete/aviseringar/installningar/").content.decode()


class FailingBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.mark.django_db
def test_a_failing_mail_server_undoes_nothing(team, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "test_notifications.FailingBackend"
    _with_email(team.contact)
    contact = _client(team.contact)
    with caplog.at_level(logging.ERROR, logger="kompass.notifications.services"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = _client(team.admin).post(f"/arbete/{team.evaluation.pk}/dela/", {"shared": "1"})
    assert answer.status_code == 302
    team.refresh()
    assert team.evaluation.shared_with_municipality
    assert Notification.objects.filter(user=team.contact, kind=Kind.SHARED).count() == 1
    assert "kontakt@example.se" in caplog.text and "the mail server is down" in caplog.text
    assert contact.get(f"/arbete/{team.evaluation.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_mail_server_that_cannot_be_reached_is_logged(team, caplog):
    class Unreachable(EmailBackend):
        def open(self):
            raise OSError("no route to host")

    message = notifications._mail(team.contact, "Något hände.", "/arbete/")
    import unittest.mock

    with unittest.mock.patch("kompass.notifications.services.get_connection", return_value=Unreachable()):
        with caplog.at_level(logging.ERROR):
            assert notifications.send_mails([message]) == 0
    assert "could not connect" in caplog.text


@pytest.mark.django_db
def test_the_municipality_marks_its_answers_done(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    contact = _client(team.contact)
    url = f"/arbete/{team.evaluation.pk}/forfragan/"
    page = contact.get(url).content.decode()
    assert "Vi är klara med svaren" in page
    answer = contact.post(url + "klar/", {"done": "1"})
    assert answer.status_code == 302 and answer["Location"] == url + "#previsit-done"
    assert selectors.answers_done_at(team.evaluation) is not None
    page = contact.get(url).content.decode()
    assert "markerade svaren som klara" in page and "Vi är inte klara ändå" in page
    assert _told(Kind.ANSWERED) == ["anna", "bo"]
    assert AuditEntry.objects.filter(evaluation=team.evaluation, field="förfrågan", new="besvarad").exists()
    # The evaluators see it on the same page, without the buttons.
    seen = _client(team.anna).get(url).content.decode()
    assert "Karin Kontakt markerade svaren som klara" in seen and "Vi är inte klara" not in seen
    # Taken back: the row goes, nobody is told again.
    contact.post(url + "klar/", {"done": "0"})
    assert AnswersDone.objects.count() == 0 and _told(Kind.ANSWERED) == ["anna", "bo"]
    # Evaluators, another municipality and the public may not mark it.
    assert _client(team.anna).post(url + "klar/", {"done": "1"}).status_code == 404
    assert _client(team.stranger).post(url + "klar/", {"done": "1"}).status_code == 404
    # Once scoring has begun the answers are closed, and so is this.
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.status_set(evaluation=team.evaluation, status="scoring", by=team.admin)
    with pytest.raises(ValidationError):
        services.previsit_done_set(evaluation=team.evaluation, by=team.contact, done=True)
    assert contact.post(url + "klar/", {"done": "1"}).status_code == 400
    assert AnswersDone.objects.count() == 0
    assert "Vi är klara med svaren" not in contact.get(url).content.decode()


@pytest.mark.django_db
def test_the_services_notify_whoever_calls_them(team):
    """No request needed: the command line and the web go through the same services."""
    bring_to_consensus(team)
    assert _told(Kind.HANDED_IN) == ["anna"] and _told(Kind.CONSENSUS_READY) == ["anna"]  # Bo handed in last
    notification = Notification.objects.get(kind=Kind.CONSENSUS_READY)
    assert notification.text == "Alla utvärderare har lämnat in sina poäng för Örebro kommun 2026. Konsensus kan börja."
    assert notification.path == f"/arbete/{team.evaluation.pk}/"


@pytest.mark.django_db
def test_an_evaluator_is_told_of_a_new_assignment(team):
    assert _told(Kind.ASSIGNED) == ["anna", "bo"]  # the team's evaluation, made by the administrator
    assert Notification.objects.get(user=team.anna, kind=Kind.ASSIGNED).text == "Du är ansvarig utvärderare för Örebro kommun 2026."
    assert Notification.objects.get(user=team.bo, kind=Kind.ASSIGNED).text == "Du är utvärderare för Örebro kommun 2026."
    services.evaluator_assign(evaluation=team.evaluation, user=team.carl, by=team.anna)
    assert _told(Kind.ASSIGNED) == ["anna", "bo", "carl"]
    assert "Du är utvärderare för Örebro kommun 2026." in _client(team.carl).get("/arbete/aviseringar/").content.decode()
