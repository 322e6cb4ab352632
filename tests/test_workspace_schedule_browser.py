"""The plan and deadlines in a real Chromium (issue 16, part B): the lead opens "Ändra
tidsplanen" on the overview, a refused plan comes back with the problem linked to its
field, the saved plan shows on the overview, the dashboard, the scoring page and, to the
municipality's contact, the pre-visit page; axe-core finds nothing on any of them."""

from __future__ import annotations

import datetime

from browsing import axe_violations, login
from playwright.sync_api import expect


def iso(offset: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


def test_the_lead_plans_the_evaluation_and_everyone_sees_their_deadline(site, contexts):
    evaluation_id = site.evaluation_new(2026)
    overview = f"{site.base}/arbete/{evaluation_id}/"
    anna = login(contexts, site, "anna")  # the lead (the first evaluator assigned)
    anna.goto(overview)
    plan = anna.get_by_role("region", name="Plan och tidsfrister")
    expect(plan).to_contain_text("Ingen tidsplan ännu")
    assert not axe_violations(anna)

    # the answers due after the scores: refused, with a link to the field, the dates kept
    plan.get_by_label("Kommunens svar senast").fill(iso(25))
    plan.get_by_label("Utvärderarnas poäng senast").fill(iso(20))
    plan.get_by_role("button", name="Spara tidsplanen").click()
    summary = anna.get_by_role("alert")
    expect(summary).to_contain_text("Det finns ett problem")
    expect(anna.get_by_label("Kommunens svar senast")).to_have_value(iso(25))
    expect(anna.get_by_label("Kommunens svar senast")).to_have_attribute("aria-invalid", "true")
    expect(anna.get_by_label("Utvärderarnas poäng senast")).not_to_have_attribute("aria-invalid", "true")
    assert not axe_violations(anna)
    summary.get_by_role("link").first.click()
    expect(anna.get_by_label("Kommunens svar senast")).to_be_focused()  # the link leads to the field

    anna.get_by_label("Kommunens svar senast").fill(iso(3))
    anna.get_by_label("Besöket, första dagen").fill(iso(10))
    anna.get_by_label("Besöket, sista dagen").press("Tab")
    anna.get_by_role("button", name="Spara tidsplanen").press("Enter")  # the keyboard alone
    expect(anna).to_have_url(f"{overview}#plan")
    plan = anna.get_by_role("region", name="Plan och tidsfrister")
    expect(plan).to_contain_text("om 3 dagar")
    expect(plan).to_contain_text("om 20 dagar")
    expect(plan).to_contain_text("0 av 2 har lämnat in")
    anna.get_by_role("button", name="Dela med kommunen").click()

    bo = login(contexts, site, "bo")
    bo.goto(f"{overview}poang/")
    expect(bo.locator(".deadline-note")).to_contain_text("Lämna in senast")
    expect(bo.locator(".deadline-note")).to_contain_text("om 20 dagar")
    assert not axe_violations(bo)

    contact = login(contexts, site, "kontakt")
    expect(contact.get_by_role("row").filter(has_text="2026")).to_contain_text("om 3 dagar".capitalize())
    assert not axe_violations(contact)
    contact.goto(f"{overview}forfragan/")
    expect(contact.locator(".deadline-note")).to_contain_text("Svara senast")
    expect(contact.locator("body")).not_to_contain_text("Lämna in senast")
