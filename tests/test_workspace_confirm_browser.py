"""The two steps that cannot be undone, in a real Chromium: a hand-in and a publish each
go through a summary page, need the explicit confirmation, and are blocked with the
reasons (each missing item a link to its field) while incomplete. axe-core checks the
summary pages in both states."""

from __future__ import annotations

import json
import re

from browsing import axe_violations, login, open_evaluation, shot, tab
from playwright.sync_api import expect

YEAR = 2024

SCORE_ALL = """
from django.contrib.auth import get_user_model
from kompass.catalogue.models import Question
from kompass.evaluations.models import Evaluation
from kompass.workspace import services
e = Evaluation.objects.get(pk={pk})
for name in {names!r}:
    user = get_user_model().objects.get(username=name)
    for q in Question.objects.filter(area__framework=e.framework):
        services.independent_score_set(evaluation=e, user=user, question_code=q.code, score=str(q.max_points / 2), justification="Skäl " + q.code)
"""

EVERYTHING_ELSE = """
import dataclasses
from django.contrib.auth import get_user_model
from kompass.evaluations.models import Evaluation
from kompass.workspace import facts, services
e = Evaluation.objects.get(pk={pk})
anna = get_user_model().objects.get(username="anna")
services.consensus_accept_unanimous(evaluation=e, by=anna)
for area in e.framework.definition.areas:
    for field in ("general", "changes"):
        services.area_text_set(evaluation=e, by=anna, area_number=area.number, field=field, text=f"Text {{area.number}}.")
facts.report_facts_set(evaluation=e, by=anna, facts=dataclasses.replace(facts.report_facts_initial(e), month=4))
facts.summary_text_set(evaluation=e, by=anna, text="Kommunen har kommit långt.")
"""


def test_hand_in_and_publish_need_the_confirmation_and_are_blocked_while_incomplete(site, contexts):
    out = site.kompass("evaluation", "new", "1880", YEAR, "--framework", "2010", "--evaluator", "anna", "--evaluator", "bo", "--json")
    pk = json.loads(out.strip().splitlines()[-1])["id"]
    site.django(
        "from kompass.evaluations.models import Evaluation\nfrom kompass.workspace import services\n"
        "from django.contrib.auth import get_user_model\n"
        f"e = Evaluation.objects.get(pk={pk}); admin = get_user_model().objects.get(username='admin')\n"
        "services.status_set(evaluation=e, status='collecting', by=admin)\nservices.status_set(evaluation=e, status='scoring', by=admin)\n"
    )

    # Nothing scored: the button says why it cannot be used yet, and still shows what is missing.
    anna = login(contexts, site, "anna")
    open_evaluation(anna, YEAR)
    tab(anna, "Mina poäng")
    handin = anna.get_by_role("link", name="Lämna in mina poäng", exact=True)
    expect(handin).to_have_class(re.compile("unavailable"))
    expect(anna.locator("#lamna-in-skal")).to_contain_text("Inte möjligt ännu: 45 delfrågor saknar poäng eller motivering.")
    handin.click()
    expect(anna.get_by_role("heading", name="Lämna in mina poäng")).to_be_visible()
    expect(anna.get_by_role("button", name="Lämna in mina poäng")).to_be_disabled()
    expect(anna.locator("#confirm-reason")).to_contain_text("Du kan lämna in när alla delfrågor har poäng och motivering.")
    missing = anna.get_by_role("region", name="Det här saknas innan du kan lämna in")
    expect(missing).to_contain_text("poäng saknas för delfråga 1.1, 1.2")
    for width in (1280, 390):
        anna.set_viewport_size({"width": width, "height": 900})
        shot(anna, f"confirm-handin-blocked-{width}", full_page=width == 390)
    anna.set_viewport_size({"width": 1200, "height": 900})
    assert axe_violations(anna) == []
    missing.get_by_role("link", name="2.3", exact=True).click()  # each missing item is a link to its field
    expect(anna).to_have_url(re.compile(rf"/arbete/{pk}/poang/#q-2\.3$"))
    expect(anna.locator('[id="q-2.3-score"]')).to_be_visible()

    # Everything scored: the summary shows the scores; the hand-in waits for the tick.
    site.django(SCORE_ALL.format(pk=pk, names=["anna", "bo"]))
    anna.reload()
    handin = anna.get_by_role("link", name="Lämna in mina poäng", exact=True)
    expect(handin).not_to_have_class(re.compile("unavailable"))
    handin.click()
    expect(anna.locator(".confirm-count")).to_have_text("45 av 45 delfrågor har poäng och motivering.")
    expect(anna.get_by_role("region", name="Det här saknas innan du kan lämna in")).to_have_count(0)
    expect(anna.get_by_role("table", name=re.compile(r"^1\. ")).get_by_role("row").nth(1)).to_contain_text("Skäl 1.1")
    anna.get_by_role("button", name="Lämna in mina poäng").click()
    summary = anna.get_by_role("alert")
    expect(summary).to_contain_text("Det finns ett problem")
    expect(summary.get_by_role("link", name=re.compile("Kryssa i rutan"))).to_be_visible()
    expect(anna.get_by_label(re.compile("Jag har gått igenom mina poäng"))).to_have_attribute("aria-invalid", "true")
    shot(anna, "confirm-handin-unticked-1280")
    assert axe_violations(anna) == []
    anna.get_by_label(re.compile("Jag har gått igenom mina poäng")).check()
    anna.get_by_role("button", name="Lämna in mina poäng").click()
    expect(anna.get_by_text("Du lämnade in dina poäng")).to_be_visible()
    expect(anna.get_by_role("link", name="Lämna in mina poäng", exact=True)).to_have_count(0)

    # Publishing: bo hands in through the services, the lead moves on to consensus.
    site.django(
        "from kompass.evaluations.models import Evaluation\nfrom kompass.workspace import services\n"
        "from django.contrib.auth import get_user_model\n"
        f"e = Evaluation.objects.get(pk={pk}); U = get_user_model()\n"
        "services.scoring_submit(evaluation=e, user=U.objects.get(username='bo'))\n"
        "services.status_set(evaluation=e, status='consensus', by=U.objects.get(username='anna'))\n"
    )
    admin = login(contexts, site, "admin")
    open_evaluation(admin, YEAR)
    publish = admin.get_by_role("link", name="Publicera", exact=True)
    expect(publish).to_have_class(re.compile("unavailable"))
    expect(admin.locator("#publicera-skal")).to_contain_text("Inte möjligt ännu")
    shot(admin, "confirm-overview-blocked-1280", full_page=True)
    publish.click()
    expect(admin.get_by_role("heading", name="Publicera utvärderingen")).to_be_visible()
    expect(admin.get_by_role("button", name="Publicera", exact=True)).to_be_disabled()
    missing = admin.get_by_role("region", name="Det här saknas innan utvärderingen kan publiceras")
    expect(missing).to_contain_text("område 1: konsensuspoäng saknas för delfråga 1.1")
    expect(missing).to_contain_text("rapporten: besökets månad saknas (Rapportuppgifter)")
    for width in (1280, 390):
        admin.set_viewport_size({"width": width, "height": 900})
        shot(admin, f"confirm-publish-blocked-{width}", full_page=width == 390)
    admin.set_viewport_size({"width": 1200, "height": 900})
    assert axe_violations(admin) == []
    missing.get_by_role("link", name="område 3: texten ”Allmänt” saknas").click()
    expect(admin).to_have_url(re.compile(rf"/arbete/{pk}/texter/#a3-general$"))

    # Complete: the summary shows the total; publishing waits for the tick, then happens.
    site.django(EVERYTHING_ELSE.format(pk=pk))
    admin.goto(f"{site.base}/arbete/{pk}/")
    admin.get_by_role("link", name="Publicera", exact=True).click()
    expect(admin.get_by_role("table", name="Poäng och texter per område")).to_contain_text("Totalt")
    expect(admin.get_by_text("april " + str(YEAR))).to_be_visible()
    button = admin.get_by_role("button", name="Publicera", exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(admin.get_by_role("alert")).to_contain_text("Kryssa i rutan")
    expect(admin.locator(".status-line strong")).to_have_text("konsensus")
    for width in (1280, 390):
        admin.set_viewport_size({"width": width, "height": 900})
        shot(admin, f"confirm-publish-ready-{width}", full_page=width == 390)
    admin.set_viewport_size({"width": 1200, "height": 900})
    assert axe_violations(admin) == []
    admin.get_by_label(re.compile("Jag har gått igenom sammanfattningen")).check()
    admin.get_by_role("button", name="Publicera", exact=True).click()
    expect(admin.locator(".status-line strong")).to_have_text("publicerad")
    assert "Traceback" not in site.server_log()
