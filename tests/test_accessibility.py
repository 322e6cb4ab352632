"""WCAG 2.1 AA: axe-core (from npm, pinned in package-lock.json) run in Chromium over the
public portal and the workspace, against `kompass demo`. Any violation fails, with the
rule, its impact and the elements it found."""

from browsing import axe_violations, login

PUBLIC = [
    "/",
    "/kommuner/",
    "/kommuner/?country=SE&framework=2010&sort=total",
    "/kommun/SE/1880/",
    "/utvardering/1/",
    "/jamfor/?id=1&id=2",
    "/jamforelse/2010/",
    "/sok/?q=dialog",
    "/accounts/login/",
]
WORKSPACE = [
    "", "underlag/", "poang/", "konsensus/", "texter/", "rapportuppgifter/", "forfragan/", "historik/", "sjalvvardering/",
    "poang/?visa=obesvarade", "texter/?visa=obesvarade", "forfragan/?visa=obesvarade", "poang/lamna-in/", "plan/",
    "underlag/{evidence}/andra/",
]
# Pages of the workspace that belong to no evaluation.
WORKSPACE_OWN = ["/arbete/", "/arbete/aviseringar/", "/arbete/aviseringar/installningar/"]


def test_public_pages_have_no_violations(site, contexts):
    page = contexts().new_page()
    page.set_content('<html lang="sv"><title>t</title><main><img src="x.png"><input></main></html>')
    assert any(v.startswith("image-alt") for v in axe_violations(page)), "axe must see a missing alt text"
    found = {}
    for path in PUBLIC:
        page.goto(site.base + path)
        page.wait_for_load_state("networkidle")
        if violations := axe_violations(page):
            found[path] = violations
    assert not found, found


def test_workspace_pages_have_no_violations(site, contexts):
    pk = site.evaluation_new(2013)
    out = site.kompass("manage", "shell", "-c", (
        "from kompass.evaluations.models import Evaluation; from kompass.workspace import services; "
        "from django.contrib.auth import get_user_model; "
        f"e = Evaluation.objects.get(pk={pk}); u = get_user_model().objects.get(username='admin'); "
        "services.status_set(evaluation=e, status='collecting', by=u); "
        "services.share_set(evaluation=e, shared=True, by=u); "
        "services.schedule_set(evaluation=e, by=u, answers_due='2020-01-10', scores_due='2099-02-01', publish_due='2099-03-01'); "
        "print(services.evidence_add(evaluation=e, by=u, kind='interview', date=__import__('datetime').date(2013, 3, 1), interviewee='Kommundirektören', "
        "question_codes=['1.1', '2.3']).pk)"
    ))
    evidence = int(out.strip().splitlines()[-1])
    found = {}
    for username in ("anna", "kontakt"):
        page = login(contexts, site, username)
        addresses = [f"/arbete/{pk}/{path.format(evidence=evidence)}" for path in WORKSPACE] + WORKSPACE_OWN
        for address in addresses:
            response = page.goto(site.base + address)
            if response.status == 404:  # the contact sees the overview and the question set only
                continue
            if violations := axe_violations(page):
                found[f"{username} {address}"] = violations
    assert not found, found


def test_pages_in_every_language_have_no_violations(site, contexts):
    """Norwegian, Danish and English pages: the same checks, and axe's language rules
    (html-has-lang, valid-lang) on the page's and the marked texts' lang attributes."""
    found = {}
    for username in (None, "anna"):
        page = login(contexts, site, username) if username else contexts().new_page()
        paths = PUBLIC + ["/kommun/NO/0301/", "/om/"] if username is None else ["/arbete/", "/arbete/aviseringar/installningar/"]
        for language in ("nb", "da", "en"):
            for path in paths:
                page.goto(site.base + path + ("&" if "?" in path else "?") + f"lang={language}")
                page.wait_for_load_state("networkidle")
                assert page.evaluate("document.documentElement.lang") == language, path
                if violations := axe_violations(page):
                    found[f"{username or 'public'} {language} {path}"] = violations
    assert not found, found



# --- action plans (the editor, a refused save, the public plan, the links to them) ------------

PLAN_SETUP = (
    "from kompass.actions import services; from kompass.actions.selectors import plan_get; "
    "from kompass.municipalities.models import Municipality; "
    "m = Municipality.objects.get(country='SE', code='1880'); f = plan_get(m).improvements; "
    "a = services.action_add(improvement_id=f[0].pk, title='Publicera diariet', owner='Kansliet', start='2024-01-01', due='2024-06-30', indicator='N00945', description='Hela diariet.'); "
    "services.action_status_set(action_id=a.pk, status='in_progress', note='Upphandlat.', date='2024-03-01'); "
    "b = services.action_add(improvement_id=f[1].pk, title='Lättlästa dokument', start='2024-01-01', due='2030-12-31'); "
    "services.action_status_set(action_id=b.pk, status='done', note='Klart.', date='2024-05-01'); "
    "c = services.action_add(improvement_id=f[-1].pk, title='Kulturstrategi'); "
    "services.action_status_set(action_id=c.pk, status='cancelled'); "
    "services.plan_publish_set(municipality=m, public=True)"
)


def test_action_plan_pages_have_no_violations(site, contexts):
    site.django(PLAN_SETUP)
    found = {}

    def check(page, what):
        if violations := axe_violations(page):
            found[what] = violations

    page = contexts().new_page()
    for path in ("/kommun/SE/1880/", "/kommun/SE/1880/handlingsplan/"):
        response = page.goto(site.base + path)
        assert response.status == 200, path
        check(page, f"anonymous {path}")

    page = login(contexts, site, "kontakt")
    check(page, "kontakt /arbete/")
    page.goto(site.base + "/arbete/handlingsplan/SE/1880/")
    check(page, "kontakt editor")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    check(page, "kontakt editor, every form open")
    form = page.locator("details.add-action").first
    form.get_by_label("Åtgärd", exact=True).fill("Baklänges")
    form.get_by_label("Start").fill("2026-06-01")
    form.get_by_label("Klar senast").fill("2026-05-01")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Lägg till åtgärden").click()
    assert answer.value.status == 400
    page.wait_for_load_state()
    check(page, "kontakt editor, refused save")
    page.goto(site.base + "/arbete/handlingsplan/SE/1880/")
    delete = page.get_by_role("article", name="Kulturstrategi").locator("form[action$='/ta-bort/']").get_attribute("action")
    page.goto(site.base + delete)
    check(page, "kontakt delete confirmation")

    page = login(contexts, site, "admin")
    check(page, "admin /arbete/")
    page.goto(site.base + "/arbete/handlingsplan/")
    check(page, "admin plan index")
    assert not found, found
