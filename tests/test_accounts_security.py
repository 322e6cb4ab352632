"""Accounts and files as ASVS level 2 asks (issue 13, finding 9): passwords of at least
12 characters, sessions that end when idle, and a database and uploads readable by the
service's user only."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import PASSWORD


def test_passwords_need_twelve_characters(db):
    from django.contrib.auth import get_user_model

    from kompass.workspace import services

    with pytest.raises(ValidationError, match="minst 12 tecken"):
        services.user_add(username="kort", role="evaluator", password="Kx9!fjordar", full_name="Kort Lösen")
    assert not get_user_model().objects.filter(username="kort").exists()
    services.user_add(username="lang", role="evaluator", password="Kx9!fjordarna", full_name="Lång Lösen")


def test_an_idle_session_ends(team, settings):
    from kompass.sessions import LAST_SEEN

    settings.KOMPASS_SESSION_IDLE_SECONDS = 30 * 60
    client = Client()
    assert client.post("/accounts/login/", {"username": "anna", "password": PASSWORD}).status_code == 302
    assert client.get("/arbete/").status_code == 200
    session = client.session
    assert isinstance(session[LAST_SEEN], int)
    session[LAST_SEEN] = int(time.time()) - 29 * 60  # still within the limit
    session.save()
    assert client.get("/arbete/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/arbete/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/arbete/").status_code == 302  # logged out for good


def test_init_makes_the_database_and_uploads_private(kompass_process, tmp_path):
    result = kompass_process("init")
    assert result.returncode == 0, result.stderr
    var = tmp_path / "var"
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "kompass.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600
    # A var directory an earlier version made with the default modes is tightened too.
    var.chmod(0o755)
    (var / "kompass.sqlite3").chmod(0o644)
    assert kompass_process("init").returncode == 0
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "kompass.sqlite3").stat().st_mode) == 0o600


def test_a_user_changes_their_password(team):
    client = Client()
    client.force_login(team.anna)
    assert "Byt lösenord" in client.get("/arbete/").content.decode()
    form = client.get("/accounts/password_change/")
    assert form.status_code == 200 and "minst 12 tecken" in form.content.decode()
    refused = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "kort", "new_password2": "kort"})
    assert refused.status_code == 200 and "för kort" in refused.content.decode()
    done = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "Ny-fjällstuga-2027", "new_password2": "Ny-fjällstuga-2027"})
    assert done.status_code == 302
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": "anna", "password": "Ny-fjällstuga-2027"}).status_code == 302


def test_a_forgotten_password_is_reset_by_e_mail(team, mailoutbox, settings):
    import re

    team.anna.email = "anna@example.se"
    team.anna.save()
    client = Client()
    assert client.post("/accounts/password_reset/", {"email": "anna@example.se"}).status_code == 302
    assert client.post("/accounts/password_reset/", {"email": "ingen@example.se"}).status_code == 302  # says nothing more
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anna@example.se"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Ny-fjällstuga-2027", "new_password2": "Ny-fjällstuga-2027"})
    assert done.status_code == 302
    assert Client().post("/accounts/login/", {"username": "anna", "password": "Ny-fjällstuga-2027"}).status_code == 302
    assert "gäller inte längre" in client.get(link, follow=True).content.decode()  # used once


def test_reset_e_mails_are_rate_limited(db, settings, mailoutbox):
    settings.KOMPASS_RATE_LIMITS = {**settings.KOMPASS_RATE_LIMITS, "mail": (2, 3600)}
    client = Client(REMOTE_ADDR="192.0.2.9")
    statuses = [client.post("/accounts/password_reset/", {"email": f"x{n}@example.se"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_the_login_log_is_for_administrators(team):
    from axes.models import AccessAttempt, AccessLog

    client = Client()
    client.post("/accounts/login/", {"username": "anna", "password": "fel-lösenord-1234"})
    client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    assert AccessAttempt.objects.filter(username="anna").exists() or AccessLog.objects.filter(username="anna").exists()
    assert AccessLog.objects.filter(username="anna").exists()
    admin = Client()
    admin.force_login(team.admin)
    for path in ("/admin/axes/accesslog/", "/admin/axes/accessfailurelog/"):
        page = admin.get(path)
        assert page.status_code == 200 and "anna" in page.content.decode(), path
    evaluator = Client()
    evaluator.force_login(team.anna)
    assert evaluator.get("/admin/axes/accesslog/").status_code == 302  # not staff: the admin's login


def test_security_txt(db, settings):
    settings.KOMPASS_SECURITY_CONTACT = ""
    assert Client().get("/.well-known/security.txt").status_code == 404
    settings.KOMPASS_SECURITY_CONTACT = "mailto:sakerhet@example.se"
    response = Client().get("/.well-known/security.txt")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert response.status_code == 200 and fields["Contact"] == "mailto:sakerhet@example.se"
    import datetime

    expires = datetime.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert datetime.timedelta(days=300) < expires - datetime.datetime.now(datetime.timezone.utc) < datetime.timedelta(days=366)
