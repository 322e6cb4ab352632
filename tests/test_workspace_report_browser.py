"""The "Rapportuppgifter" page in a real Chromium, against `kompass demo`: an evaluator
fills in the report's facts and the summary, the administrator publishes, and the PDF
downloaded from the public page carries them in chapter 2.

The scores and area texts a publication needs are set through the services in a
`kompass manage shell` subprocess (they have their own browser test); everything on the
new page is done in the browser, through labelled controls."""

from __future__ import annotations

import re
import subprocess

from browsing import axe_violations, form_of, login, open_evaluation, publish, saved, shot, tab
from conftest import PASSWORD
from playwright.sync_api import expect

SUMMARY = "Örebro kommun har fortsatt sitt förbättringsarbete sedan 2015 och når nu zqsummary längre än någonsin."


def _to_consensus_with_texts(site, evaluation_id: int) -> None:
    site.django(f"""
from django.contrib.auth import get_user_model
from kompass.catalogue.models import Question
from kompass.evaluations.models import Evaluation
from kompass.workspace import services
User = get_user_model()
e = Evaluation.objects.get(pk={evaluation_id})
admin, anna, bo = (User.objects.get(username=n) for n in ("admin", "anna", "bo"))
services.status_set(evaluation=e, status="collecting", by=admin)
services.status_set(evaluation=e, status="scoring", by=admin)
for user in (anna, bo):
    for q in Question.objects.filter(area__framework=e.framework):
        services.independent_score_set(evaluation=e, user=user, question_code=q.code, score=str(q.max_points / 2), justification="Motivering")
    services.scoring_submit(evaluation=e, user=user)
services.status_set(evaluation=e, status="consensus", by=admin)
services.consensus_accept_unanimous(evaluation=e, by=anna)
for n in range(1, 9):
    services.area_text_set(evaluation=e, by=anna, area_number=n, field="general", text=f"Allmänt {{n}}.")
    services.area_text_set(evaluation=e, by=anna, area_number=n, field="changes", text=f"Sedan 2015 {{n}}.")
""")


def _axe(browser, site, evaluation_id: int) -> dict[str, list[str]]:
    """WCAG 2.1 AA (axe-core) on the page, empty and refused; axe is injected as an inline
    script, so this context bypasses the site's Content-Security-Policy."""
    context = browser.new_context(locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(site.base + "/accounts/login/")
        page.get_by_label("Användarnamn").fill("anna")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.goto(f"{site.base}/arbete/{evaluation_id}/rapportuppgifter/")
        found = {"page": axe_violations(page)}
        page.get_by_label("Besökets månad").select_option(value="3")
        page.get_by_label("Kommunens utvärdering nr").fill("0")
        page.get_by_role("button", name="Spara rapportuppgifterna").click()
        expect(page.get_by_role("alert")).to_contain_text("Kommunens utvärdering nr")
        found["refused"] = axe_violations(page)
        return {k: v for k, v in found.items() if v}
    finally:
        context.close()


def test_an_evaluator_fills_the_report_facts_and_the_admin_publishes(site, contexts, browser, tmp_path):
    evaluation_id = site.evaluation_new(2026)
    _to_consensus_with_texts(site, evaluation_id)
    assert _axe(browser, site, evaluation_id) == {}

    admin = login(contexts, site, "admin")
    open_evaluation(admin, 2026)
    missing = admin.locator(".missing")
    expect(missing).to_contain_text("rapporten: texten ”Sammanfattande kommentar” saknas (Rapportuppgifter)")
    expect(missing).to_contain_text("rapporten: besökets månad saknas (Rapportuppgifter)")

    anna = login(contexts, site, "anna")
    open_evaluation(anna, 2026)
    tab(anna, "Rapportuppgifter")
    facts = anna.locator("form#uppgifter")
    # The suggestions: the next ordinal, the Swedish publisher, the assigned evaluators.
    expect(facts.get_by_label("Kommunens utvärdering nr")).to_have_value(re.compile(r"^\d+$"))
    suggested = int(facts.get_by_label("Kommunens utvärdering nr").input_value())
    expect(facts.get_by_label("Utgivare")).to_have_value("Sveriges Kommuner och Regioner")
    expect(facts.get_by_label("Utvärderare 1, namn")).to_have_value("Anna Berg")
    expect(facts.get_by_label("Utvärderare 2, namn")).to_have_value("Bo Ek")
    shot(anna, "facts-empty", full_page=True)

    # A bad number: refused, the summary links to the field, what was typed is kept.
    facts.get_by_label("Besökets månad").select_option(label="oktober 2026")
    facts.get_by_label("Antal intervjuade").fill("0")
    facts.get_by_role("button", name="Spara rapportuppgifterna").click()
    alert = anna.get_by_role("alert")
    expect(alert).to_contain_text("Det gick inte att spara. Inget har ändrats.")
    alert.get_by_role("link", name=re.compile("^Antal intervjuade")).click()
    expect(anna.get_by_label("Antal intervjuade")).to_be_focused()
    expect(anna.get_by_label("Besökets månad")).to_have_value("10")
    shot(anna, "facts-refused")

    facts = anna.locator("form#uppgifter")
    facts.get_by_label("Antal intervjuade").fill("30")
    facts.get_by_label("ungefärligt (”ett 30-tal personer”)").check()
    for source in ("Intervjuer", "Officiella dokument", "Kommunens hemsida", "Intranät"):
        facts.get_by_label(source, exact=True).check()
    facts.get_by_label("Utvärderare 1, organisation").fill("SKR")
    facts.get_by_label("Utvärderare 2, organisation").fill("Hylte kommun")
    facts.get_by_label("Utvärderare 3, namn").fill("Ewa Luvö")
    facts.get_by_label("Utvärderare 3, organisation").fill("Borås kommun")
    facts.get_by_role("button", name="Spara rapportuppgifterna").click()
    expect(anna.get_by_role("status").filter(has_text="Rapportuppgifterna är sparade.")).to_be_visible()
    expect(anna.locator("blockquote.suggestion")).to_contain_text(
        "genomfördes i oktober 2026 och var kommunens"
    )
    expect(anna.locator("blockquote.suggestion")).to_contain_text("genomfört intervjuer med ett 30-tal personer i organisationen")
    expect(anna.get_by_label("Utvärderare 3, namn")).to_have_value("Ewa Luvö")

    summary = anna.get_by_label("Sammanfattande kommentar", exact=True)
    saved(anna, form_of(summary), [(summary, SUMMARY)])
    anna.reload()
    expect(anna.get_by_label("Sammanfattande kommentar", exact=True)).to_have_value(SUMMARY)
    for width, name in ((1280, "facts-1280"), (390, "facts-390")):
        anna.set_viewport_size({"width": width, "height": 900})
        shot(anna, name, full_page=True)
    anna.set_viewport_size({"width": 1200, "height": 900})

    # The administrator publishes; nothing is missing any more.
    admin.reload()
    expect(admin.locator(".missing")).to_have_count(0)
    publish(admin)
    admin.goto(f"{site.base}/arbete/{evaluation_id}/rapportuppgifter/")
    expect(admin.get_by_role("button", name="Spara rapportuppgifterna")).to_have_count(0)  # read only once published

    public = contexts().new_page()
    public.goto(f"{site.base}/utvardering/{evaluation_id}/")
    with public.expect_download() as download_info:
        public.get_by_role("link", name="PDF", exact=True).click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    contents = text.index("Innehåll")
    heading = "2 Örebro kommun i förhållande till Kommunkompassen"
    start = text.index(heading, text.index(heading, contents) + 1)
    end = text.index("3 Detaljerad genomgång", text.index("3 Detaljerad genomgång", contents) + 1)
    chapter_2 = text[start:end]
    assert SUMMARY in chapter_2
    assert "genomfördes i oktober 2026 och var kommunens" in chapter_2
    assert f"kommunens utvärdering nr {suggested}" in chapter_2
    assert "ett 30-tal personer" in chapter_2
    title_page = text[:contents]
    assert "Anna Berg, SKR" in title_page and "Ewa Luvö, Borås kommun" in title_page and "Sveriges Kommuner och Regioner" in title_page
