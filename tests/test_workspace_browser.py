"""The evaluator workspace (/arbete/) in a real Chromium, against `kompass demo`.

1. The whole flow: two evaluators log in, score, resolve a divergence, write texts,
   publish, and the report is downloaded from the public page.
2. Script and HTML typed into every free-text field stays text on every page that
   shows it, in the workspace, on the public page and in the HTML report.

Accounts and evaluations are made with the installed `kompass` command against the
server's own SQLite file; everything else is done in the browser, through labelled,
keyboard-reachable controls. Where test 2 only needs some state to exist (the other 44
sub-questions' scores, the other areas' texts), it is set through the services in a
`kompass manage shell` subprocess; every payload is typed in the browser.
"""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

from browsing import form_of, hand_in, login, open_evaluation, publish, saved, shot, step, tab
from playwright.sync_api import Page, expect


def article(page: Page, code: str):
    """A sub-question's block, by its heading ("1.1 Finns en plan…")."""
    return page.get_by_role("article", name=re.compile(rf"^{re.escape(code)} "))


def list_label(name: str) -> re.Pattern:
    """A list's label: "Styrka" on the page, but "styrka" in the fragment a save answers
    with (views.list_save passes the label without capfirst)."""
    return re.compile(rf"^{re.escape(name)}$", re.IGNORECASE)


def questions_on(page: Page) -> list[tuple[str, int]]:
    """(code, max points) of every sub-question on a scoring or consensus page, in order."""
    rows = page.evaluate(
        """() => [...document.querySelectorAll('article.question')].map(a =>
            [a.querySelector('h4').id.slice(3), a.querySelector('form label').textContent])"""
    )
    return [(code, int(re.search(r"0–(\d+)", label)[1])) for code, label in rows]


def planned_score(index: int, maximum: int) -> int:
    """The agreed score of every sub-question but 1.1: spread out, so agreement is informative."""
    return maximum * ((index % 5) + 1) // 6


def points(n) -> re.Pattern:
    """A whole score as the workspace shows it, in a saved fragment and after a reload: "15"."""
    return re.compile(rf"^{n}$")


# --- 1. the whole flow ----------------------------------------------------------------------


def test_two_evaluators_score_agree_write_publish_and_download(site, contexts, tmp_path):
    evaluation_id = site.evaluation_new(2026)
    workspace = f"{site.base}/arbete/{evaluation_id}"

    # The administrator opens the evaluation and starts it: planned → collecting → scoring.
    admin = login(contexts, site, "admin")
    open_evaluation(admin, 2026)
    expect(admin).to_have_url(workspace + "/")
    expect(admin.locator(".status-line strong")).to_have_text("planerad")
    expect(admin.get_by_role("list").filter(has_text="Anna Berg (ansvarig utvärderare) – poäng inte inlämnade")).to_be_visible()
    step(admin, "Nästa steg: insamling av underlag", "insamling av underlag")
    step(admin, "Nästa steg: poängsättning", "poängsättning")
    shot(admin, "overview-scoring")

    anna = login(contexts, site, "anna")
    open_evaluation(anna, 2026)
    tab(anna, "Mina poäng")
    bo = login(contexts, site, "bo")
    open_evaluation(bo, 2026)
    tab(bo, "Mina poäng")

    questions = questions_on(anna)
    assert len(questions) == 45 and questions[0] == ("1.1", 15)
    agreed = {code: planned_score(i, maximum) for i, (code, maximum) in enumerate(questions)}
    agreed["1.1"] = 10
    independent = {"anna": dict(agreed, **{"1.1": 15}), "bo": dict(agreed, **{"1.1": 5})}

    # Anna's first sub-question entirely from the keyboard: type, Tab, type, Tab, Enter.
    first = article(anna, "1.1")
    first.get_by_label("Min poäng (0–15)").focus()
    anna.keyboard.type("15")
    anna.keyboard.press("Tab")
    expect(first.get_by_label("Motivering", exact=True)).to_be_focused()
    anna.keyboard.type("Anna: planen för demokratiutveckling är antagen och följs upp.")
    anna.keyboard.press("Tab")
    expect(first.get_by_role("button", name="Spara")).to_be_focused()
    first.locator("form").evaluate("f => f.dataset.stale = '1'")
    anna.keyboard.press("Enter")
    expect(anna.locator('form[id="q-1.1"]:not([data-stale])').get_by_role("status")).to_have_text("Sparat.")
    # Focus stays on the button of the swapped-in form, so the keyboard user goes on from there.
    expect(first.get_by_role("button", name="Spara")).to_be_focused()
    shot(anna, "scoring-focus", clip={"x": 100, "y": 0, "width": 1000, "height": 900})
    anna.keyboard.press("Tab")  # the way on: the next sub-question (and the progress list)
    expect(first.get_by_role("link", name="Nästa: 1.2")).to_be_focused()
    anna.keyboard.press("Enter")
    anna.keyboard.press("Tab")
    expect(article(anna, "1.2").get_by_label("Min poäng (0–20)")).not_to_be_focused()  # 1.2's evidence summary comes first
    expect(anna.locator(":focus")).to_have_text(re.compile("underlag"))
    expect(first.get_by_label("Min poäng (0–15)")).to_have_value(points(15))

    def score_all(page: Page, who: str, skip=()):
        for code, maximum in questions:
            if code in skip:
                continue
            block = article(page, code)
            saved(page, block.locator("form"), [
                (block.get_by_label(f"Min poäng (0–{maximum})"), str(independent[who][code])),
                (block.get_by_label("Motivering", exact=True), f"{who.capitalize()}: motivering för {code}."),
            ])

    score_all(anna, "anna", skip={"1.1"})
    shot(anna, "scoring")
    score_all(bo, "bo")

    # Anna sees only her own scores, and nothing of Bo's anywhere, until consensus.
    anna.reload()
    expect(article(anna, "1.1").get_by_label("Min poäng (0–15)")).to_have_value(points(15))
    expect(anna.get_by_text("Bo: motivering")).to_have_count(0)
    assert "Bo: motivering" not in anna.content()
    tab(anna, "Konsensus")
    expect(anna.get_by_text("Konsensus börjar när alla utvärderare har lämnat in")).to_be_visible()
    expect(anna.get_by_role("table")).to_have_count(0)
    tab(anna, "Historik")
    expect(anna.get_by_role("cell", name=re.compile(r"\(Bo Ek\)"))).to_have_count(0)
    expect(anna.get_by_role("cell", name="Bo: motivering för 1.1.")).to_have_count(0)
    expect(anna.get_by_role("cell", name=re.compile(r"delfråga 1\.1 · oberoende poäng \(Anna Berg\)"))).to_be_visible()
    assert anna.request.get(workspace + "/konsensus.csv").status == 404

    # Both hand in; the overview told the administrator who was missing.
    tab(anna, "Mina poäng")
    hand_in(anna)
    expect(article(anna, "1.2").get_by_role("button", name="Spara")).to_have_count(0)
    admin.reload()
    expect(admin.locator(".missing")).to_contain_text("Bo Ek har inte lämnat in sina poäng")
    hand_in(bo)

    admin.reload()
    expect(admin.locator(".missing")).to_have_count(0)
    step(admin, "Nästa steg: konsensus", "konsensus")

    # Publishing is not possible yet: its summary lists everything that is missing.
    admin.get_by_role("link", name="Publicera", exact=True).click()
    expect(admin.get_by_role("button", name="Publicera", exact=True)).to_be_disabled()
    refusal = admin.get_by_role("region", name="Det här saknas innan utvärderingen kan publiceras")
    expect(refusal).to_contain_text("område 1: konsensuspoäng saknas för delfråga 1.1, 1.2, 1.3, 1.4, 1.5")
    expect(refusal).to_contain_text("område 8: texten ”Allmänt” saknas")
    expect(refusal).to_contain_text("område 8: texten ”Vad har hänt?” saknas")
    expect(refusal).to_contain_text("rapporten: texten ”Sammanfattande kommentar” saknas (Rapportuppgifter)")
    expect(refusal.get_by_role("listitem")).to_have_count(24 + 2)  # and the report's month and summary
    admin.get_by_role("link", name="Tillbaka till översikten").click()
    expect(admin.locator(".status-line strong")).to_have_text("konsensus")

    # Consensus: the divergence on 1.1, the agreement measures, then the agreed scores.
    tab(anna, "Konsensus")
    expect(article(anna, "1.1").get_by_role("heading")).to_contain_text("avvikelse")
    expect(anna.locator(".badge", has_text="avvikelse")).to_have_count(1)
    table = article(anna, "1.1").get_by_role("table", name="Oberoende poäng för 1.1")
    expect(table.get_by_role("row", name=re.compile("Anna Berg"))).to_contain_text("15")
    expect(table.get_by_role("row", name=re.compile("Bo Ek"))).to_contain_text("5")
    expect(table.get_by_role("row", name=re.compile("Bo Ek"))).to_contain_text("Bo: motivering för 1.1.")

    from kompass.agreement import agreement

    measures = agreement([[Decimal(independent["anna"][c]), Decimal(independent["bo"][c])] for c, _m in questions])
    facts = anna.get_by_role("region", name="Överensstämmelse mellan utvärderarna")
    expect(facts).to_contain_text("Krippendorffs alfa (intervall)")
    alpha_shown = facts.locator("dt", has_text="Krippendorffs alfa").locator("xpath=following-sibling::dd[1]").inner_text()
    assert alpha_shown.replace(",", ".") == str(measures.alpha), (alpha_shown, measures)
    expect(facts.locator("dt", has_text="Delfrågor med minst två poäng").locator("xpath=following-sibling::dd[1]")).to_have_text("45")
    shot(anna, "consensus-top")

    anna.get_by_role("button", name="Godta samstämmiga poäng som konsensus").click()
    expect(article(anna, "1.2").get_by_label("Konsensuspoäng (0–20)")).to_have_value(points(agreed["1.2"]))
    expect(article(anna, "8.6").get_by_label("Konsensuspoäng (0–20)")).to_have_value(points(agreed["8.6"]))
    one = article(anna, "1.1")
    expect(one.get_by_label("Konsensuspoäng (0–15)")).to_have_value("")
    score_box, rationale = one.get_by_label("Konsensuspoäng (0–15)"), one.get_by_label("Motivering av den gemensamma poängen")
    # First a proposal, then the agreed 10 in the same form: its fingerprint follows each save.
    saved(anna, one.locator("form"), [(score_box, "12"), (rationale, "Förslag efter första samtalet.")])
    saved(anna, one.locator("form"), [(score_box, "10"), (rationale, "Planen finns men följs upp ojämnt; vi enades om 10.")])
    anna.reload()
    expect(score_box).to_have_value(points(10))
    expect(rationale).to_have_value("Planen finns men följs upp ojämnt; vi enades om 10.")
    article(anna, "1.1").scroll_into_view_if_needed()
    shot(anna, "consensus")

    admin.reload()
    expect(admin.locator(".missing")).not_to_contain_text("konsensuspoäng")
    expect(admin.locator(".missing")).to_contain_text("område 1: texten ”Allmänt” saknas")

    # Texts: both area texts in all eight areas, one line in two lists, one follow-up ticked.
    tab(bo, "Texter")
    area_texts = {}
    for number in range(1, 9):
        area = bo.get_by_role("region", name=re.compile(rf"^{number}\. "))
        general = f"Område {number}: arbetet är strukturerat och väl förankrat i organisationen."
        changes = f"Område {number}: sedan 2015 har kommunen infört nya uppföljningsrutiner."
        saved(bo, form_of(area.get_by_label("Allmänt", exact=True)), [(area.get_by_label("Allmänt", exact=True), general)])
        saved(bo, form_of(area.get_by_label("Vad har hänt efter 2015?", exact=True)), [(area.get_by_label("Vad har hänt efter 2015?", exact=True), changes)])
        area_texts[number] = (general, changes)
    area1 = bo.get_by_role("region", name=re.compile(r"^1\. "))
    strength = "Tydlig demokratiberedning med medborgardialog"
    improvement = "Fler handlingar tillgängliga på webbplatsen"
    saved(bo, form_of(area1.get_by_label(list_label("Styrka"))), [(area1.get_by_label(list_label("Styrka")), strength)], button="Spara listan")
    saved(bo, form_of(area1.get_by_label(list_label("Förbättringsområde"))), [(area1.get_by_label(list_label("Förbättringsområde")), improvement)], button="Spara listan")
    follow_up = area1.get_by_role("button", name=re.compile(r"^Markera som behandlad: Tillgång till handlingar på hemsidan$"))
    follow_up.focus()
    bo.keyboard.press("Enter")
    expect(area1.get_by_role("button", name=re.compile(r"^Markera som obehandlad: Tillgång till handlingar på hemsidan$"))).to_be_focused()
    expect(area1.locator(".follow-up .done", has_text="Tillgång till handlingar på hemsidan")).to_contain_text("✓")
    bo.reload()
    expect(area1.get_by_label("Allmänt", exact=True)).to_have_value(area_texts[1][0])
    expect(area1.get_by_label(list_label("Styrka"))).to_have_value(strength)
    expect(area1.get_by_role("button", name=re.compile(r"^Markera som obehandlad: Tillgång till handlingar på hemsidan$"))).to_be_visible()
    shot(bo, "texts")

    # The report's month and summary (the Rapportuppgifter page has its own browser test).
    site.django(f"""
import dataclasses
from django.contrib.auth import get_user_model
from kompass.evaluations.models import Evaluation
from kompass.workspace import facts
e, bo = Evaluation.objects.get(pk={evaluation_id}), get_user_model().objects.get(username="bo")
facts.report_facts_set(evaluation=e, by=bo, facts=dataclasses.replace(facts.report_facts_initial(e), month=10))
facts.summary_text_set(evaluation=e, by=bo, text="Kommunen har kommit långt.")
""")

    # Publish.
    admin.reload()
    expect(admin.locator(".missing")).to_have_count(0)
    shot(admin, "overview-consensus", full_page=True)
    publish(admin)
    expect(admin.get_by_role("table", name="Revisioner").get_by_role("row")).to_have_count(2)
    shot(admin, "overview-published", full_page=True)

    # The public page, for anyone: the result, the texts, and the report as PDF.
    public = contexts().new_page()
    public.goto(site.base + "/")
    public.get_by_role("link", name="Örebro kommun").first.click()
    public.get_by_role("link", name="2026", exact=True).click()
    expect(public).to_have_url(f"{site.base}/utvardering/{evaluation_id}/")
    expect(public.get_by_role("heading", level=1)).to_have_text("Kommunkompassen – analys av Örebro kommun 2026")
    total = sum(agreed.values())
    expect(public.locator("p.total")).to_have_text(f"{total} av 800 poäng")
    area1_total = sum(v for c, v in agreed.items() if c.startswith("1."))
    areas_table = public.get_by_role("table", name=re.compile("^Poäng per område"))
    expect(areas_table.get_by_role("row", name=re.compile(r"^1\. ")).locator("td").nth(1)).to_have_text(str(area1_total))
    expect(areas_table.locator("tfoot")).to_contain_text(str(total))
    overview_1 = public.get_by_role("table", name=re.compile(r"^1\. "))
    expect(overview_1.locator("tbody tr").first.locator("td")).to_have_text(["1.1", re.compile("^Finns en plan"), "10", "15", "67%"])
    expect(public.locator("#omrade-1")).to_contain_text(area_texts[1][0])
    expect(public.locator("#omrade-1")).to_contain_text(area_texts[1][1])
    expect(public.locator("#omrade-1")).to_contain_text(strength)
    expect(public.locator("#omrade-1")).to_contain_text(improvement)
    shot(public, "public")

    with public.expect_download() as download_info:
        public.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    pdf = tmp_path / "rapport.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes()[:4] == b"%PDF"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Örebro" in flat
    assert area_texts[1][0] in flat, flat[:3000]
    assert area_texts[8][1] in flat

    # The history: every status change, and 1.1's agreed score with old and new value.
    tab(admin, "Historik")
    history = admin.get_by_role("table", name="Ändringar, senaste först")
    shot(admin, "history")

    def history_row(what: str, old: str, new: str):
        """The rows of the history for ``what`` whose old and new value match (regular expressions)."""
        return history.get_by_role("row").filter(has=admin.get_by_role("cell", name=what, exact=True)).filter(
            has=admin.locator("td.old", has_text=re.compile(f"^{old}$"))
        ).filter(has=admin.locator("td.new", has_text=re.compile(f"^{new}$")))

    for old, new in [("planerad", "insamling av underlag"), ("insamling av underlag", "poängsättning"),
                     ("poängsättning", "konsensus"), ("konsensus", "publicerad")]:
        expect(history_row("status", old, new)).to_have_count(1)
    expect(history_row("delfråga 1.1 · konsensuspoäng", "", "12[.,]00")).to_have_count(1)
    expect(history_row("delfråga 1.1 · konsensuspoäng", "12[.,]00", "10[.,]00")).to_have_count(1)
    expect(history_row("delfråga 1.1 · konsensuspoäng", "12[.,]00", "10[.,]00").get_by_role("cell").nth(1)).to_have_text("anna")
    expect(history_row("område 1 · uppföljning: Tillgång till handlingar på hemsidan", "ej behandlad", "behandlad")).to_have_count(1)
    # The independent scores are part of the history once consensus has begun.
    expect(history_row(r"delfråga 1.1 · oberoende poäng (Bo Ek)", "", "5[.,]00")).to_have_count(1)

    assert "Traceback" not in site.server_log()


# --- 2. script payloads -----------------------------------------------------------------------

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
    "[klick](javascript:window.__xss=1)",
    '" autofocus onfocus="window.__xss=1" x="',
    "</textarea><script>window.__xss=1</script>",
]


def payload(tag: str) -> str:
    """A multi-line text: a marker, then one payload a line."""
    return "\n".join([tag, *PAYLOADS])


def payload_line(tag: str) -> str:
    return " ".join([tag, *PAYLOADS])


HOSTILE = """() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
            if (name.startsWith('on')) found.push(`${el.tagName} ${name}`);
            if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name) && value.startsWith('javascript:'))
                found.push(`${el.tagName} ${name}=${attr.value}`);
        }
        if (el.hasAttribute('autofocus') && !(el.id === 'id_username')) found.push(`${el.tagName} autofocus`);
    }
    for (const s of document.querySelectorAll('script')) if (!s.src) found.push('inline script: ' + s.textContent.slice(0, 80));
    // The site's own charts are SVG inside figure.chart; any other SVG came from a payload.
    for (const s of document.querySelectorAll('svg, img[src="x"], iframe, object, embed'))
        if (!(s.tagName.toLowerCase() === 'svg' && s.closest('figure.chart'))) found.push(s.outerHTML.slice(0, 80));
    return found;
}"""


class Watch:
    """A page whose dialogs are recorded, and the checks every page that shows a payload gets."""

    def __init__(self, page: Page):
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self, *, shown: list[str] = (), values: dict | None = None, where: str = ""):
        """No script ran and nothing hostile is in the DOM; each marker in ``shown`` is on
        the page as text together with every payload (details opened first); each
        control in ``values`` holds exactly the text typed."""
        page = self.page
        where = where or page.url
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.mouse.move(5, 5)
        assert page.evaluate("typeof window.__xss") == "undefined", where
        assert self.dialogs == [], (where, self.dialogs)
        assert page.evaluate(HOSTILE) == [], where
        assert page.locator('[href^="javascript:" i]').count() == 0, where
        text = " ".join(page.locator("body").inner_text().split())
        for tag in shown:
            assert tag in text, (where, tag)
            for p in PAYLOADS:
                assert p in text, (where, tag, p)
        for control, typed in (values or {}).items():
            expect(control).to_have_value(typed)


def test_script_payloads_stay_text_everywhere(site, contexts):
    evaluation_id = site.evaluation_new(2014)
    workspace = f"{site.base}/arbete/{evaluation_id}"
    t = {name: f"XSS-{name}" for name in
         ["answer", "title", "interviewee", "notes", "url-title", "justification", "rationale",
          "general", "changes", "question", "strength", "improvement", "example", "reason", "corrected"]}

    # The administrator shares the evaluation with Örebro's contact person.
    admin = Watch(login(contexts, site, "admin"))
    open_evaluation(admin.page, 2014)
    admin.page.get_by_role("button", name="Dela med kommunen").click()
    expect(admin.page.get_by_role("button", name="Sluta dela")).to_be_visible()

    # The municipality answers the pre-visit request for 1.1.
    contact = Watch(login(contexts, site, "kontakt"))
    open_evaluation(contact.page, 2014)
    contact.page.get_by_role("link", name="Till förfrågan").click()
    answer_box = article(contact.page, "1.1").get_by_label("Kommunens svar")
    saved(contact.page, form_of(answer_box), [(answer_box, payload(t["answer"]))])
    contact.check(shown=[t["answer"]], values={answer_box: payload(t["answer"])})
    contact.page.reload()
    contact.check(shown=[t["answer"]], values={article(contact.page, "1.1").get_by_label("Kommunens svar"): payload(t["answer"])})
    shot(contact.page, "previsit")

    step(admin.page, "Nästa steg: insamling av underlag", "insamling av underlag")
    tab(admin.page, "Förfrågan")
    admin.check(shown=[t["answer"]])

    # Anna registers an interview; a javascript: address for a website is refused.
    anna = Watch(login(contexts, site, "anna"))
    open_evaluation(anna.page, 2014)
    tab(anna.page, "Underlag")
    page = anna.page
    page.get_by_label("Intervju", exact=True).check()
    page.get_by_label("Intervjuad roll eller grupp (intervju)").fill(payload_line(t["interviewee"]))
    page.get_by_label("Titel").fill(payload_line(t["title"]))
    page.get_by_label("Anteckningar").fill(payload(t["notes"]))
    page.get_by_role("group", name="Delfrågor som underlaget belyser").get_by_role("checkbox", name=re.compile(r"^1\.1 ")).check()
    page.get_by_role("button", name="Lägg till").click()
    register = page.get_by_role("table", name="Intervjuer, dokument och iakttagelser på webbplatsen")
    expect(register.locator("tbody tr")).to_have_count(1)
    expect(register.locator("tbody tr")).to_contain_text("1.1")
    anna.check(shown=[t["interviewee"], t["title"], t["notes"]])

    page.get_by_label("Webbplats", exact=True).check()
    page.get_by_label("Titel").fill(payload_line(t["url-title"]))
    page.get_by_label("Adress (webbplats)").fill("javascript:window.__xss=1")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("alert")).to_contain_text("en webbadress som börjar med https://")
    expect(register.locator("tbody tr")).to_have_count(1)
    anna.check(values={page.get_by_label("Titel"): payload_line(t["url-title"]), page.get_by_label("Adress (webbplats)"): "javascript:window.__xss=1"})
    shot(page, "evidence")

    # Independent scoring: 1.1's justification, with the evidence and the answer beside it.
    tab(admin.page, "Översikt")
    step(admin.page, "Nästa steg: poängsättning", "poängsättning")
    tab(page, "Mina poäng")
    one = article(page, "1.1")
    saved(page, one.locator("form"), [(one.get_by_label("Min poäng (0–15)"), "15"), (one.get_by_label("Motivering", exact=True), payload(t["justification"]))])
    anna.check(values={one.get_by_label("Motivering", exact=True): payload(t["justification"])})
    page.reload()
    anna.check(shown=[t["interviewee"], t["notes"], t["answer"]], values={one.get_by_label("Motivering", exact=True): payload(t["justification"])})

    # The rest of the scores, and the way to consensus, through the services.
    site.django(f"""
from django.contrib.auth import get_user_model
from kompass.catalogue.models import Question
from kompass.evaluations.models import Evaluation
from kompass.workspace import services
User = get_user_model()
e = Evaluation.objects.get(pk={evaluation_id})
anna, bo, admin = (User.objects.get(username=n) for n in ("anna", "bo", "admin"))
for q in Question.objects.filter(area__framework=e.framework):
    if q.code != "1.1":
        services.independent_score_set(evaluation=e, user=anna, question_code=q.code, score=str(q.max_points / 2), justification="Anna.")
    services.independent_score_set(evaluation=e, user=bo, question_code=q.code, score=str(q.max_points / 2), justification="Bo.")
services.scoring_submit(evaluation=e, user=anna)
services.scoring_submit(evaluation=e, user=bo)
services.status_set(evaluation=e, status="consensus", by=admin)
""")

    # Consensus: the justification in the side-by-side table, and a rationale typed.
    tab(page, "Konsensus")
    anna.check(shown=[t["justification"], t["interviewee"], t["notes"], t["answer"]])
    one = article(page, "1.1")
    saved(page, one.locator("form"), [(one.get_by_label("Konsensuspoäng (0–15)"), "10"), (one.get_by_label("Motivering av den gemensamma poängen"), payload(t["rationale"]))])
    page.reload()
    anna.check(shown=[t["justification"]], values={article(page, "1.1").get_by_label("Motivering av den gemensamma poängen"): payload(t["rationale"])})
    csv = page.request.get(workspace + "/konsensus.csv")
    assert csv.status == 200 and "attachment" in csv.headers["content-disposition"]

    # Texts: both area texts, 1.1's text and the three lists of area 1.
    tab(page, "Texter")
    area1 = page.get_by_role("region", name=re.compile(r"^1\. "))
    fields = [
        (lambda: area1.get_by_label("Allmänt", exact=True), payload(t["general"]), "Spara"),
        (lambda: area1.get_by_label("Vad har hänt efter 2012?", exact=True), payload(t["changes"]), "Spara"),
        (lambda: area1.get_by_label(re.compile(r"^1\.1 Finns en plan")), payload(t["question"]), "Spara"),
        (lambda: area1.get_by_label(list_label("Styrka")), payload(t["strength"]), "Spara listan"),
        (lambda: area1.get_by_label(list_label("Förbättringsområde")), payload(t["improvement"]), "Spara listan"),
        (lambda: area1.get_by_label(list_label("Gott exempel")), payload(t["example"]), "Spara listan"),
    ]
    for control, typed, button in fields:
        saved(page, form_of(control()), [(control(), typed)], button=button)
        anna.check(values={control(): typed}, where=f"texts after saving {typed.splitlines()[0]}")
    page.reload()
    anna.check(shown=[t[k] for k in ["general", "changes", "question", "strength", "improvement", "example"]],
               values={control(): typed for control, typed, _b in fields})
    shot(page, "texts-payloads")

    # Everything else a publication needs, through the services; then publish in the browser.
    site.django(f"""
from django.contrib.auth import get_user_model
from kompass.evaluations.models import Evaluation
from kompass.workspace import services
e = Evaluation.objects.get(pk={evaluation_id})
anna = get_user_model().objects.get(username="anna")
services.consensus_accept_unanimous(evaluation=e, by=anna)
for n in range(2, 9):
    services.area_text_set(evaluation=e, by=anna, area_number=n, field="general", text=f"Allmänt {{n}}.")
    services.area_text_set(evaluation=e, by=anna, area_number=n, field="changes", text=f"Sedan 2012 {{n}}.")
import dataclasses
from kompass.workspace import facts
facts.report_facts_set(evaluation=e, by=anna, facts=dataclasses.replace(facts.report_facts_initial(e), month=10))
facts.summary_text_set(evaluation=e, by=anna, text="Kommunen har kommit långt.")
""")
    admin.page.goto(workspace + "/")
    publish(admin.page)

    tab(admin.page, "Historik")
    # (An evidence entry is recorded by its title.)
    admin.check(shown=[t[k] for k in ["answer", "title", "justification", "rationale", "general",
                                      "changes", "question", "strength", "improvement", "example"]])
    tab(admin.page, "Underlag")
    admin.check(shown=[t["interviewee"], t["title"], t["notes"]])

    # The public page and the HTML report, for anyone.
    public = Watch(contexts().new_page())
    public.page.goto(f"{site.base}/utvardering/{evaluation_id}/")
    expect(public.page.get_by_role("heading", level=1)).to_have_text("Kommunkompassen – analys av Örebro kommun 2014")
    published = [t[k] for k in ["general", "changes", "question", "strength", "improvement", "example"]]
    public.check(shown=published)
    shot(public.page, "public-payloads", full_page=True)
    public.page.get_by_role("link", name="HTML", exact=True).click()
    # (The link carries the page's language: ?lang=sv.)
    expect(public.page).to_have_url(re.compile(rf"^{re.escape(site.base)}/utvardering/{evaluation_id}/rapport\.html\?lang=\w+$"))
    # (The report's per-sub-question texts are the previous evaluation's, as an appendix.)
    public.check(shown=[tag for tag in published if tag != t["question"]])

    # A correction, with a reason and a changed area text typed in.
    admin.page.goto(workspace + "/")
    admin.page.get_by_role("link", name="Gör en rättelse").click()
    admin.page.get_by_label("Skäl till rättelsen").fill(payload(t["reason"]))
    corrected = admin.page.get_by_role("group", name=re.compile(r"^1\. ")).get_by_label("Allmänt", exact=True)
    corrected.fill(payload(t["corrected"]))
    admin.page.get_by_role("button", name="Publicera rättelsen").click()
    revisions = admin.page.get_by_role("table", name="Revisioner")
    expect(revisions.get_by_role("row")).to_have_count(3)
    admin.check(shown=[t["reason"]])
    revisions.get_by_role("link", name="2", exact=True).click()
    expect(admin.page).to_have_url(f"{site.base}/utvardering/{evaluation_id}/revision/2/")
    admin.check(shown=[t["corrected"], t["reason"]])
    public.page.goto(f"{site.base}/utvardering/{evaluation_id}/")
    public.check(shown=[t["corrected"]])

    assert "Traceback" not in site.server_log()
