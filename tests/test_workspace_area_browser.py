"""Area-level versions in a real Chromium (issue 12, part 2): a 2020 and a 2016 evaluation,
made with the installed `kompass evaluation new`, are scored per area by two evaluators,
agreed (one divergence resolved, the rest accepted as unanimous) and published by the
administrator; the public page shows the agreed area scores.

Everything is done in the browser through labelled controls, except chapter 2's facts
(month of the visit and "Sammanfattande kommentar"), which have their own page and tests
(helper C's facts page): they are set through `workspace.facts` in `kompass manage shell`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from browsing import hand_in, login, open_evaluation, publish, saved, step, tab
from playwright.sync_api import Page, expect

from kompass.agreement import agreement


def area_article(page: Page, number: int):
    return page.get_by_role("article", name=re.compile(rf"^Område {number} som helhet"))


def plan(version: str) -> tuple[dict, dict, int]:
    """Anna's and Bo's score of each area and the one divergent area: they differ by 20
    there, by 5 (within 10 % of 100) in one other area, and agree elsewhere."""
    divergent, near = (3, 6) if version == "2020" else (5, 2)
    anna = {n: 40 + 5 * n for n in range(1, 9)}
    bo = dict(anna)
    bo[divergent] = anna[divergent] - 20
    bo[near] = anna[near] + 5
    return anna, bo, divergent


@pytest.mark.parametrize("version, year", [("2020", 2021), ("2016", 2017)])
def test_an_area_level_evaluation_is_scored_agreed_and_published(site, contexts, version, year):
    out = site.kompass("evaluation", "new", "1880", year, "--framework", version, "--evaluator", "anna", "--evaluator", "bo", "--json")
    evaluation_id = json.loads(out.strip().splitlines()[-1])["id"]
    anna_scores, bo_scores, divergent = plan(version)

    admin = login(contexts, site, "admin")
    open_evaluation(admin, year)
    step(admin, "Nästa steg: insamling av underlag", "insamling av underlag")
    step(admin, "Nästa steg: poängsättning", "poängsättning")

    pages = {}
    for who, scores in (("anna", anna_scores), ("bo", bo_scores)):
        page = pages[who] = login(contexts, site, who)
        open_evaluation(page, year)
        tab(page, "Mina poäng")
        expect(page.get_by_text("Sätt poäng och motivera varje område.")).to_be_visible()
        expect(page.locator("article.question")).to_have_count(8)
        for number, score in scores.items():
            block = area_article(page, number)
            saved(page, block.locator("form"), [
                (block.get_by_label("Min poäng (0–100)"), str(score) if number % 2 else f"{score},0"),  # the decimal comma too
                (block.get_by_label("Motivering", exact=True), f"{who.capitalize()}: område {number}."),
            ])
    anna, bo = pages["anna"], pages["bo"]
    anna.reload()
    assert "Bo: område" not in anna.content()
    for page in (anna, bo):
        hand_in(page)

    admin.reload()
    step(admin, "Nästa steg: konsensus", "konsensus")
    admin.get_by_role("link", name="Publicera", exact=True).click()
    refusal = admin.get_by_role("region", name="Det här saknas innan utvärderingen kan publiceras")
    expect(refusal).to_contain_text("område 1: konsensuspoäng saknas för området")
    expect(refusal).to_contain_text("område 8: texten ”Allmänt” saknas")
    admin.get_by_role("link", name="Tillbaka till översikten").click()

    # Consensus: the scores side by side, the divergence, agreement over the areas.
    tab(anna, "Konsensus")
    expect(anna.locator(".badge", has_text="avvikelse")).to_have_count(1)
    expect(area_article(anna, divergent).get_by_role("heading")).to_contain_text("avvikelse")
    table = area_article(anna, divergent).get_by_role("table", name=f"Oberoende poäng för område {divergent}")
    expect(table.get_by_role("row", name=re.compile("Anna Berg"))).to_contain_text(str(anna_scores[divergent]))
    expect(table.get_by_role("row", name=re.compile("Bo Ek"))).to_contain_text(f"Bo: område {divergent}.")
    measures = agreement([[Decimal(anna_scores[n]), Decimal(bo_scores[n])] for n in range(1, 9)])
    facts = anna.get_by_role("region", name="Överensstämmelse mellan utvärderarna")
    expect(facts.locator("dt", has_text="Områden med minst två poäng").locator("xpath=following-sibling::dd[1]")).to_have_text("8")
    alpha = facts.locator("dt", has_text="Krippendorffs alfa").locator("xpath=following-sibling::dd[1]").inner_text()
    assert alpha.replace(",", ".") == str(measures.alpha)

    anna.get_by_role("button", name="Godta samstämmiga poäng som konsensus").click()
    expect(area_article(anna, 1).get_by_label("Konsensuspoäng (0–100)")).to_have_value(re.compile(rf"^{anna_scores[1]}$"))
    agreed = {n: anna_scores[n] for n in range(1, 9) if anna_scores[n] == bo_scores[n]}
    for number in range(1, 9):
        if number in agreed:
            continue
        agreed[number] = (anna_scores[number] + bo_scores[number]) // 2
        block = area_article(anna, number)
        expect(block.get_by_label("Konsensuspoäng (0–100)")).to_have_value("")
        saved(anna, block.locator("form"), [
            (block.get_by_label("Konsensuspoäng (0–100)"), str(agreed[number])),
            (block.get_by_label("Motivering av den gemensamma poängen"), f"Vi enades om område {number}."),
        ])

    # Texts by Bo, chapter 2's facts through the facts service, then publish.
    tab(bo, "Texter")
    for number in range(1, 9):
        area = bo.get_by_role("region", name=re.compile(rf"^{number}\. "))
        field = area.get_by_label("Allmänt", exact=True)
        saved(bo, field.locator("xpath=ancestor::form[1]"), [(field, f"Område {number} i version {version}: arbetet är strukturerat.")])
    site.django(
        "import dataclasses\n"
        "from django.contrib.auth import get_user_model\n"
        "from kompass.evaluations.models import Evaluation\n"
        "from kompass.workspace import facts\n"
        f"e = Evaluation.objects.get(pk={evaluation_id}); u = get_user_model().objects.get(username='anna')\n"
        "facts.report_facts_set(evaluation=e, by=u, facts=dataclasses.replace(facts.report_facts_initial(e), month=10))\n"
        "facts.summary_text_set(evaluation=e, by=u, text='Kommunen arbetar strukturerat.')\n"
    )
    admin.reload()
    expect(admin.locator(".missing")).to_have_count(0)
    publish(admin)

    public = contexts().new_page()
    public.goto(f"{site.base}/utvardering/{evaluation_id}/")
    total = sum(agreed.values())
    expect(public.locator("p.total")).to_have_text(f"{total} av 800 poäng")
    areas_table = public.get_by_role("table", name=re.compile("^Poäng per område"))
    expect(areas_table.get_by_role("row", name=re.compile(rf"^{divergent}\. ")).locator("td").first).to_have_text(str(agreed[divergent]))  # no earlier evaluation by this version: score, max
    assert "Traceback" not in site.server_log()
