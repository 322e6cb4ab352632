"""Progress and navigation in a real Chromium (issue 16, part A): an evaluator sees where
she stands, goes to a sub-question from the list, filters consensus to the divergent
sub-questions, agrees one in place and sees the list follow; on a phone the list is
folded at the top. Every page checked with axe-core."""

from __future__ import annotations

import re

from browsing import axe_violations, login, saved, shot
from playwright.sync_api import expect

SETUP = """
from django.contrib.auth import get_user_model
from kompass.catalogue.models import Question
from kompass.evaluations.models import Evaluation
from kompass.workspace import services
User = get_user_model()
e = Evaluation.objects.get(pk={pk})
admin, anna, bo = (User.objects.get(username=n) for n in ("admin", "anna", "bo"))
services.status_set(evaluation=e, status="scoring", by=admin)
for q in Question.objects.filter(area__framework=e.framework):
    low = 0 if q.code in ("1.3", "4.2") else q.max_points
    services.independent_score_set(evaluation=e, user=anna, question_code=q.code, score=str(q.max_points), justification="Anna.")
    services.independent_score_set(evaluation=e, user=bo, question_code=q.code, score=str(low), justification="Bo.")
services.scoring_submit(evaluation=e, user=anna)
services.scoring_submit(evaluation=e, user=bo)
services.status_set(evaluation=e, status="consensus", by=anna)
"""


def progress_list(page):
    return page.get_by_role("navigation", name=re.compile(r"av 45"))


def test_an_evaluator_uses_the_progress_list_and_the_divergence_filter(site, contexts):
    pk = site.evaluation_new(2018)
    site.kompass("manage", "shell", "-c", f"from kompass.evaluations.models import Evaluation; from kompass.workspace import services; "
                 f"from django.contrib.auth import get_user_model; e = Evaluation.objects.get(pk={pk}); "
                 "services.status_set(evaluation=e, status='collecting', by=get_user_model().objects.get(username='admin'))")
    workspace = f"{site.base}/arbete/{pk}"

    # Scoring: the list says where she stands and takes her to a sub-question.
    anna = login(contexts, site, "anna")
    anna.goto(workspace + "/poang/")
    nav = progress_list(anna)
    expect(nav.locator("summary")).to_contain_text("0 av 45 poängsatta")
    expect(nav.locator("details")).to_have_attribute("open", "")  # a desktop: open in its side column
    nav.get_by_role("link", name="2.3: inte besvarad").click()
    expect(anna).to_have_url(re.compile(r"#qh-2\.3$"))
    expect(anna.locator('h4[id="qh-2.3"]')).to_be_in_viewport()
    block = anna.get_by_role("article", name=re.compile(r"^2\.3 "))
    saved(anna, block.locator("form"), [(block.get_by_label(re.compile(r"^Min poäng")), "5"), (block.get_by_label("Motivering", exact=True), "Anna: så här.")])
    # The list follows the save in place, without a reload.
    expect(nav.get_by_role("link", name="2.3: sparad")).to_be_visible()
    expect(nav.locator("summary")).to_contain_text("1 av 45 poängsatta")
    # Next and previous take her along the page.
    block.get_by_role("link", name="Nästa: 2.4").click()
    expect(anna).to_have_url(re.compile(r"#qh-2\.4$"))
    # "Bara obesvarade": a link that reloads with the saved one hidden, and the way back.
    nav.get_by_role("link", name="Bara obesvarade").click()
    expect(anna).to_have_url(re.compile(r"\?visa=obesvarade"))
    expect(anna.get_by_text("Bara obesvarade: 44 visas, 1 är dold.")).to_be_visible()
    expect(anna.get_by_role("article", name=re.compile(r"^2\.3 "))).to_have_count(0)
    assert not axe_violations(anna), axe_violations(anna)
    shot(anna, "progress-scoring-filtered")
    anna.get_by_role("link", name="Visa alla").first.click()
    expect(anna.locator("article.question")).to_have_count(45)

    # Consensus: filter to the divergent sub-questions and settle them one by one.
    site.django(SETUP.format(pk=pk))
    anna.goto(workspace + "/konsensus/")
    nav = progress_list(anna)
    expect(nav.locator("summary")).to_contain_text("0 av 45 överenskomna")
    expect(nav.get_by_role("link", name="1.3: avvikelse")).to_be_visible()
    nav.get_by_role("link", name="Bara avvikelser").click()
    expect(anna).to_have_url(re.compile(r"\?visa=avvikelser"))
    expect(anna.get_by_text("Bara avvikelser: 2 visas, 43 är dolda.")).to_be_visible()
    codes = anna.locator("article.question h4").evaluate_all("hs => hs.map(h => h.id.slice(3))")
    assert codes == ["1.3", "4.2"]
    assert not axe_violations(anna), axe_violations(anna)
    shot(anna, "progress-consensus-divergent")
    first = anna.get_by_role("article", name=re.compile(r"^1\.3 "))
    saved(anna, first.locator("form"), [(first.get_by_label(re.compile(r"^Konsensuspoäng")), "10"), (first.get_by_label("Motivering av den gemensamma poängen"), "Enade efter samtal.")])
    expect(nav.get_by_role("link", name="1.3: överens")).to_be_visible()
    expect(nav.locator("summary")).to_contain_text("1 av 45 överenskomna")
    first.get_by_role("link", name="Nästa: 4.2").click()
    expect(anna).to_have_url(re.compile(r"#qh-4\.2$"))
    anna.reload()
    expect(anna.get_by_text("Bara avvikelser: 1 visas, 44 är dolda.")).to_be_visible()

    # On a phone the list is folded at the top, one tap away.
    phone = contexts().new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.context.add_cookies(anna.context.cookies())
    phone.goto(workspace + "/konsensus/")
    nav = progress_list(phone)
    expect(nav.locator("details")).not_to_have_attribute("open", "")
    expect(nav.get_by_role("link", name="Bara avvikelser")).to_be_hidden()
    nav.locator("summary").click()
    expect(nav.get_by_role("link", name="Bara avvikelser")).to_be_visible()
    shot(phone, "progress-consensus-phone")
    assert not axe_violations(phone), axe_violations(phone)


def test_the_dashboard_and_the_overview_show_the_counts(site, contexts):
    pk = site.evaluation_new(2019)
    anna = login(contexts, site, "anna")
    row = anna.get_by_role("row").filter(has_text="2019")
    expect(row.get_by_role("cell").nth(4)).to_contain_text("Förfrågan: 0 av 45 besvarade")
    anna.goto(f"{site.base}/arbete/{pk}/")
    table = anna.get_by_role("table", name="Framsteg per steg")
    expect(table.get_by_role("row", name=re.compile("Poäng: Anna Berg"))).to_contain_text("0 av 45 poängsatta och motiverade")
    assert not axe_violations(anna), axe_violations(anna)
