"""Everyday forms in a real Chromium (issue 16, part F): the municipality picker of the
new-evaluation form and the evidence checklist with its filter box, with axe-core."""

from __future__ import annotations

import re

from browsing import axe_violations, login, shot
from playwright.sync_api import expect


def test_the_municipality_picker_tells_linkoping_from_aabenraa(site, contexts):
    page = login(contexts, site, "admin")
    field = page.get_by_label("Kommun", exact=True)
    expect(page.locator('#new-municipality-list option[value="Aabenraa (0580, Danmark)"]')).to_have_count(1)
    field.fill("0580")
    page.get_by_role("button", name="Skapa").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns ett problem")
    expect(summary).to_contain_text("finns i flera länder")
    expect(page.get_by_label("Kommun", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("0580")  # what was typed is kept
    assert axe_violations(page) == []
    shot(page, "f-picker-ambiguous", full_page=True)
    # A part of a name: the one municipality it fits is offered, already chosen.
    page.get_by_label("Kommun", exact=True).fill("Link")
    page.get_by_role("button", name="Skapa").click()
    choice = page.get_by_label("Linköping (0580, Sverige)")
    expect(choice).to_be_checked()
    # Chosen with the keyboard alone: focus the radio, Space, then Enter on the button.
    page.get_by_label("Kommun", exact=True).fill("0580")
    page.get_by_role("button", name="Skapa").click()
    page.get_by_label("Aabenraa (0580, Danmark)").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Skapa").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aabenraa")


def test_evidence_is_linked_through_the_filtered_checklist_and_edited(site, contexts):
    evaluation_id = site.evaluation_new(2026)
    page = login(contexts, site, "anna")
    page.goto(f"{site.base}/arbete/{evaluation_id}/underlag/")
    search = page.get_by_label("Sök bland delfrågorna")
    expect(search).to_be_visible()  # shown by unit-filter.js; without it the plain checkboxes remain
    search.fill("2.3")
    checklist = page.locator("[data-unit-checklist]")
    expect(checklist.locator("label.check:visible")).to_have_count(1)
    expect(checklist.get_by_text("1 visas.")).to_be_visible()
    checklist.get_by_role("checkbox", name=re.compile(r"^2\.3 ")).check()
    search.press("Enter")  # narrows; never submits the form
    expect(page).to_have_url(re.compile(r"/underlag/$"))
    search.fill("")
    checklist.get_by_role("checkbox", name=re.compile(r"^1\.1 ")).check()
    expect(checklist.get_by_text("Valda: 1.1, 2.3")).to_be_visible()
    page.get_by_label("Intervju", exact=True).check()
    page.get_by_label("Intervjuad roll eller grupp (intervju)").fill("Kommundirektören")
    assert axe_violations(page) == []
    shot(page, "f-evidence-checklist", full_page=True)
    page.get_by_role("button", name="Lägg till").click()
    row = page.get_by_role("row").filter(has_text="Kommundirektören")
    expect(row).to_contain_text("1.1, 2.3")
    row.get_by_role("link", name=re.compile("^Ändra")).click()
    expect(page.get_by_role("heading", name=re.compile("Ändra underlag"))).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"^1\.1 ")).uncheck()
    page.get_by_label("Intervjuad roll eller grupp").fill("Kommundirektören och ekonomichefen")
    assert axe_violations(page) == []
    shot(page, "f-evidence-edit", full_page=True)
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.locator("p.notice[role=status]")).to_have_text("Ändringen är sparad.")
    row = page.get_by_role("row").filter(has_text="Kommundirektören och ekonomichefen")
    expect(row.get_by_role("cell").nth(3)).to_have_text("2.3")
