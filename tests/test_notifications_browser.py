"""Notifications in the browser: the administrator shares an evaluation, the contact is
told in the header, the list and by e-mail (the development server prints it), reads it,
tells the evaluators the answers are done, and an evaluator sees that. axe-core on the
list, the choices and the pre-visit page with the box."""

import re

from browsing import axe_violations, login, open_evaluation, shot
from playwright.sync_api import expect


def test_shared_answered_read_and_chosen(site, contexts):
    evaluation_id = site.evaluation_new(2026)
    site.django(
        "from django.contrib.auth.models import User; User.objects.filter(username='kontakt').update(email='karin@example.se')"
    )
    admin = login(contexts, site, "admin")
    open_evaluation(admin, 2026)
    admin.get_by_role("button", name="Dela med kommunen").click()
    expect(admin.get_by_role("button", name="Sluta dela")).to_be_visible()
    expect(admin.get_by_role("navigation", name="Konto").get_by_role("link", name="Aviseringar", exact=True)).to_be_visible()

    # The console backend of the development server prints the e-mail.
    log = site.server_log()
    assert "To: karin@example.se" in log and f"/arbete/{evaluation_id}/forfragan/" in log

    contact = login(contexts, site, "kontakt")
    link = contact.get_by_role("navigation", name="Konto").get_by_role("link", name=re.compile("^Aviseringar"))
    expect(link).to_have_accessible_name("Aviseringar 1 olästa")
    link.click()
    expect(contact.get_by_role("heading", name="Aviseringar", level=1)).to_be_visible()
    item = contact.get_by_role("listitem").filter(has_text="Utvärderingen Örebro kommun 2026 är delad med er.")
    expect(item).to_contain_text("Ny")
    assert axe_violations(contact) == []
    shot(contact, "notifications-list")
    contact.set_viewport_size({"width": 390, "height": 844})
    shot(contact, "notifications-list-phone", full_page=True)
    contact.set_viewport_size({"width": 1200, "height": 900})

    # The link leads to the pre-visit page and marks the notification read.
    item.get_by_role("link", name="Utvärderingen Örebro kommun 2026 är delad med er.").click()
    expect(contact.get_by_role("heading", name="Förfrågan inför besöket")).to_be_visible()
    expect(contact.get_by_role("navigation", name="Konto").get_by_role("link", name="Aviseringar", exact=True)).to_be_visible()
    box = contact.locator("#previsit-done")
    expect(box.get_by_role("heading", name="Klara med svaren?")).to_be_visible()
    assert axe_violations(contact) == []
    # From the keyboard: focus the button, press Enter.
    box.get_by_role("button", name="Vi är klara med svaren").focus()
    contact.keyboard.press("Enter")
    expect(contact.locator("#previsit-done")).to_contain_text("markerade svaren som klara")
    expect(contact.locator("#previsit-done").get_by_role("button", name="Vi är inte klara ändå")).to_be_visible()
    shot(contact, "previsit-done", clip={"x": 0, "y": 0, "width": 1200, "height": 700})

    # The choices: off by e-mail for "published", saved, kept.
    contact.goto(site.base + "/arbete/aviseringar/installningar/")
    assert axe_violations(contact) == []
    group = contact.get_by_role("group", name="Utvärderingen publiceras")
    group.get_by_label("Med e-post").uncheck()
    contact.get_by_role("button", name="Spara").click()
    expect(contact.get_by_role("status").filter(has_text="Dina val är sparade.")).to_be_visible()
    expect(contact.get_by_role("group", name="Utvärderingen publiceras").get_by_label("Med e-post")).not_to_be_checked()
    expect(contact.get_by_role("group", name="Utvärderingen publiceras").get_by_label("I arbetsytan")).to_be_checked()
    shot(contact, "notification-choices")

    # Anna (an evaluator) is told the answers are done, and reads them all at once.
    anna = login(contexts, site, "anna")
    anna.get_by_role("navigation", name="Konto").get_by_role("link", name=re.compile("^Aviseringar")).click()
    expect(anna.get_by_role("listitem").filter(has_text="Förfrågan inför besöket i Örebro kommun 2026 är besvarad.")).to_be_visible()
    anna.get_by_role("button", name="Markera alla som lästa").click()
    expect(anna.get_by_role("status").filter(has_text="Markerade som lästa.")).to_be_visible()
    expect(anna.get_by_text("0 olästa.")).to_be_visible()
    assert axe_violations(anna) == []
