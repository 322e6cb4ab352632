"""An action plan in a real Chromium, against `kompass demo` (Örebro 2015 published):
Örebro's contact logs in, adds two actions through the editor's forms, marks one done
with a note, and downloads the plan as XLSX, which opens with openpyxl and holds both
actions with their statuses. Everything is done through labelled controls, no JavaScript
needed by the page."""

from __future__ import annotations

import re

from browsing import login
from openpyxl import load_workbook
from playwright.sync_api import Page, expect


def add_action(page: Page, improvement: str, *, title: str, owner: str, start: str, due: str, indicator: str = "") -> None:
    section = page.get_by_role("region", name=re.compile(re.escape(improvement)))
    form = section.locator("details.add-action")
    form.locator("summary").click()
    form.get_by_label("Åtgärd", exact=True).fill(title)
    form.get_by_label("Ansvarig roll eller enhet").fill(owner)
    form.get_by_label("Start").fill(start)
    form.get_by_label("Klar senast").fill(due)
    if indicator:
        form.get_by_label("Indikator").fill(indicator)
    form.get_by_role("button", name="Lägg till åtgärden").click()
    article = page.get_by_role("article", name=title)
    expect(article).to_be_visible()
    expect(article.get_by_text("Status: ej påbörjad")).to_be_visible()


def test_contact_adds_actions_marks_one_done_and_exports_xlsx(site, contexts, tmp_path):
    page = login(contexts, site, "kontakt")
    page.get_by_role("link", name="Handlingsplan för Örebro kommun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handlingsplan för Örebro kommun")
    expect(page.get_by_text("Handlingsplanen är inte publicerad.")).to_be_visible()

    add_action(page, "Tillgång till handlingar på hemsidan", title="Publicera diariet på webben", owner="Kommunledningskontoret",
               start="2026-01-15", due="2026-12-31", indicator="n00945")
    add_action(page, "Strategi för kulturlivet", title="Kulturstrategi 2027–2030", owner="Kulturförvaltningen",
               start="2026-02-01", due="2027-06-30")

    article = page.get_by_role("article", name="Publicera diariet på webben")
    article.locator("summary", has_text="Ändra status").click()
    article.get_by_label("Ny status").select_option(label="Klar")
    article.get_by_label("Datum").first.fill("2026-11-02")
    article.get_by_label("Anteckning (valfri): vad har hänt?").fill("Diariet är sökbart på webben.")
    article.get_by_role("button", name="Spara status").click()
    article = page.get_by_role("article", name="Publicera diariet på webben")
    expect(article.get_by_text("Status: klar")).to_be_visible()
    expect(article.get_by_text("Diariet är sökbart på webben.")).to_be_visible()
    expect(article.get_by_text("N00945", exact=True)).to_be_visible()  # a Kolada id, written the way Kolada writes it

    overview = page.get_by_role("table", name=re.compile("Framsteg per område"))
    totals = overview.locator("tfoot tr")
    expect(totals).to_contain_text("19 förbättringsområden")
    expect(totals.locator("td").first).to_have_text("2")  # actions
    expect(page.get_by_role("img", name=re.compile("Åtgärder per område efter status"))).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "handlingsplan-se-1880.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    sheet = load_workbook(path)["Åtgärder"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[2]]
    assert {r["Åtgärd"]: r["Status"] for r in rows} == {"Publicera diariet på webben": "klar", "Kulturstrategi 2027–2030": "ej påbörjad"}
    done = next(r for r in rows if r["Åtgärd"] == "Publicera diariet på webben")
    assert done["Förbättringsområde"] == "Tillgång till handlingar på hemsidan"
    assert done["Ansvarig"] == "Kommunledningskontoret" and done["Indikator"] == "N00945"
    assert done["Senaste anteckning"] == "Diariet är sökbart på webben."
    assert done["Start"].date().isoformat() == "2026-01-15" and done["Klar senast"].date().isoformat() == "2026-12-31"
    assert "Traceback" not in site.server_log()
