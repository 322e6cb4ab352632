"""Errors people understand, numbers in Swedish (issue 16, part D), in a real Chromium:
a wrong score is said beside the score alone and keeps what was typed; without
JavaScript the answer starts with the error summary (focused by error-summary.js where
scripts run) whose link leads to the field; "12,5" is accepted and shown as "12,5"."""

from __future__ import annotations

import re

from browsing import axe_violations, login, saved, shot
from conftest import PASSWORD
from playwright.sync_api import expect

COLLECTING = """
from django.contrib.auth import get_user_model
from kompass.evaluations.models import Evaluation
from kompass.workspace import services
services.status_set(evaluation=Evaluation.objects.get(pk={pk}), status="collecting", by=get_user_model().objects.get(username="admin"))
"""


def test_a_wrong_score_is_explained_beside_it_and_a_decimal_comma_is_accepted(site, contexts, browser):
    pk = site.evaluation_new(2026)
    site.django(COLLECTING.replace("{pk}", str(pk)))
    scoring = f"{site.base}/arbete/{pk}/poang/"

    # With JavaScript: saved in place, the message beside the score, only the score marked.
    page = login(contexts, site, "anna")
    page.goto(scoring)
    form = page.locator('form[id="q-1.1"]')
    form.get_by_label("Min poäng (0–15)").fill("40")
    form.get_by_label("Motivering", exact=True).fill("Planen är antagen.")
    form.get_by_role("button", name="Spara", exact=True).click()
    form = page.locator('form[id="q-1.1"]')
    expect(form.get_by_role("alert")).to_have_text("Fel: Poängen kan vara högst 15")
    score, note = form.get_by_label("Min poäng (0–15)"), form.get_by_label("Motivering", exact=True)
    expect(score).to_have_value("40")
    expect(score).to_have_attribute("aria-invalid", "true")
    expect(score).to_have_accessible_description("Fel: Poängen kan vara högst 15")
    expect(note).to_have_value("Planen är antagen.")
    expect(note).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#live")).to_have_text("Inte sparat.")
    assert not axe_violations(page)
    shot(page, "errors-inline")

    fresh = saved(page, form, [(score, "12,5")])
    expect(fresh.get_by_label("Min poäng (0–15)")).to_have_value("12,5")
    page.reload()
    expect(page.locator('form[id="q-1.1"]').get_by_label("Min poäng (0–15)")).to_have_value("12,5")

    # A plain post (as without htmx) answers with the field's page: the summary first, focused.
    page.evaluate(
        """([action, token]) => {
            const form = Object.assign(document.createElement("form"), {method: "post", action});
            for (const [name, value] of [["csrfmiddlewaretoken", token], ["score", "99,5"], ["note", "För högt"]]) {
                form.append(Object.assign(document.createElement("input"), {type: "hidden", name, value}));
            }
            document.body.append(form);
            form.submit();
        }""",
        [f"/arbete/{pk}/poang/1.3/", page.locator('input[name="csrfmiddlewaretoken"]').first.input_value()],
    )
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading", name="Det finns ett problem")).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#q-1\\.3-score")).to_have_value("99,5")
    assert not axe_violations(page)
    shot(page, "errors-field-page")
    summary.get_by_role("link", name=re.compile("^Poängen kan vara högst [0-9]+$")).click()
    expect(page.locator("#q-1\\.3-score")).to_be_focused()

    # Without JavaScript: the page with the form, the error summary first, its link leading to the field.
    plain = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        bare = plain.new_page()
        bare.goto(site.base + "/accounts/login/")
        bare.get_by_label("Användarnamn").fill("anna")
        bare.get_by_label("Lösenord").fill(PASSWORD)
        bare.get_by_role("button", name="Logga in").click()
        bare.goto(scoring)
        form = bare.locator('form[id="q-1.2"]')
        form.get_by_label("Min poäng (0–20)").fill("tolv")
        form.get_by_label("Motivering", exact=True).fill("Delvis.")
        form.get_by_role("button", name="Spara", exact=True).click()
        summary = bare.locator(".error-summary")
        expect(summary.get_by_role("heading", name="Det finns ett problem")).to_be_visible()
        link = summary.get_by_role("link", name="Skriv poängen som ett tal, till exempel 12 eller 12,5")
        expect(bare.get_by_label("Min poäng (0–20)")).to_have_value("tolv")
        expect(bare.get_by_label("Motivering", exact=True)).to_have_value("Delvis.")
        shot(bare, "errors-summary-390", full_page=True)
        link.click()
        expect(bare.get_by_label("Min poäng (0–20)")).to_be_focused()
        # Put right and saved: back on the scoring page, at the question, "12" shown as 12.
        bare.get_by_label("Min poäng (0–20)").fill("12")
        bare.get_by_role("button", name="Spara", exact=True).click()
        expect(bare).to_have_url(scoring + "#q-1.2")
        expect(bare.locator('form[id="q-1.2"]').get_by_label("Min poäng (0–20)")).to_have_value("12")
    finally:
        plain.close()
