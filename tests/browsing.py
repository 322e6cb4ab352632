"""What the browser tests share: `kompass demo` on its own SQLite file, the command run
against that server's database, Chromium's launch options, the workspace's page steps
and axe-core. The fixtures that hold these open are in conftest.py."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import KOMPASS, PASSWORD
from playwright.sync_api import Page, expect

expect.set_options(timeout=15_000)

CHROMIUM = Path(os.environ.get("KOMPASS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- the live site ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Installation:
    """The installed command on a SQLite file of its own: ``cwd``/var/kompass.sqlite3."""

    env: dict
    cwd: Path

    @classmethod
    def at(cls, tmp: Path, **env_extra: str) -> Installation:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
        env.update(KOMPASS_VAR_DIR=str(tmp / "var"), **env_extra)
        return cls(env, tmp)

    @property
    def database(self) -> Path:
        return self.cwd / "var" / "kompass.sqlite3"

    def kompass(self, *args, stdin: str | None = None) -> str:
        """The installed command, on this installation's database."""
        done = subprocess.run(
            [str(KOMPASS), *map(str, args)], input=stdin, capture_output=True, text=True, env=self.env, cwd=self.cwd, timeout=120, check=False
        )
        assert done.returncode == 0, f"kompass {' '.join(map(str, args))}: {done.stdout}{done.stderr}"
        return done.stdout

    def django(self, code: str) -> str:
        """Python run in `kompass manage shell`, for state a test needs but does not test."""
        return self.kompass("manage", "shell", "-c", code)

    def evaluation_new(self, year: int) -> int:
        out = self.kompass("evaluation", "new", "1880", year, "--framework", "2010", "--evaluator", "anna", "--evaluator", "bo", "--json")
        made = json.loads(out.strip().splitlines()[-1])
        assert made["url"].endswith(f"/arbete/{made['id']}/")
        return made["id"]


@dataclass
class Site(Installation):
    """A running `kompass demo`: its address and log, and the command on its database."""

    base: str = ""
    log: Path | None = None

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def demo_server(tmp: Path, *, database: Path | None = None, **env_extra: str):
    """`kompass demo` in ``tmp`` (init, demo data if the database is empty, the demo
    accounts if there is no account, the development server); yields the running Site.

    With ``database``, a copy of that SQLite file is the server's: `kompass demo` finds
    its data there, as on a second `make run`, and starts without migrating and loading
    anew. What the tests write stays in the copy."""
    port = free_port()
    installation = Installation.at(tmp, KOMPASS_BASE_URL=f"http://127.0.0.1:{port}", **env_extra)
    if database is not None:
        installation.database.parent.mkdir(mode=0o700)
        database_copy(database, installation.database)
    log_path = tmp / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen([str(KOMPASS), "demo", "--port", str(port)], cwd=tmp, env=installation.env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"kompass demo did not start: {log_path.read_text()}")
                time.sleep(0.2)
        yield Site(installation.env, tmp, base, log_path)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def database_copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file, through SQLite's backup (a server may have it open)."""
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    target.chmod(0o600)


WORKSPACE_ACCOUNTS = [
    ("admin", "admin", "Ada Admin", []),
    ("anna", "evaluator", "Anna Berg", []),
    ("bo", "evaluator", "Bo Ek", []),
    ("kontakt", "municipality", "Karin Kontakt", ["--municipality", "1880"]),
]


def accounts_add(installation: Installation) -> None:
    """The accounts the workspace tests log in with, made with `kompass user add`."""
    for username, role, name, extra in WORKSPACE_ACCOUNTS:
        installation.kompass("user", "add", username, "--role", role, *extra, "--password-stdin", "--name", name, stdin=PASSWORD + "\n")


# --- the workspace, step by step in the browser ------------------------------------------------


def login(contexts, site: Site, username: str) -> Page:
    page = contexts().new_page()
    page.goto(site.base + "/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(site.base + "/arbete/")
    expect(page.get_by_role("heading", name="Arbetsytan", level=1)).to_be_visible()
    return page


def open_evaluation(page: Page, year: int) -> None:
    """From the dashboard, the evaluation's overview via its row's link."""
    page.get_by_role("row").filter(has_text=str(year)).get_by_role("link", name="Örebro kommun").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Örebro kommun {year}")


def tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Arbetsytan").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("navigation", name="Arbetsytan").get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")


def step(page: Page, button: str, status: str) -> None:
    """A lifecycle button on the overview; the page comes back with the new status."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".status-line strong")).to_have_text(status)
    expect(page.locator('ol.lifecycle [aria-current="step"]')).to_have_text(status)


def hand_in(page: Page) -> None:
    """From the scoring page: "Lämna in mina poäng", then confirm on the summary page."""
    page.get_by_role("link", name="Lämna in mina poäng", exact=True).click()
    page.get_by_label("Jag har gått igenom mina poäng och motiveringar", exact=False).check()
    page.get_by_role("button", name="Lämna in mina poäng", exact=True).click()
    expect(page.get_by_text("Du lämnade in dina poäng")).to_be_visible()


def publish(page: Page) -> None:
    """From the overview: "Publicera", then confirm on the summary page."""
    page.get_by_role("link", name="Publicera", exact=True).click()
    page.get_by_label("Jag har gått igenom sammanfattningen", exact=False).check()
    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.locator(".status-line strong")).to_have_text("publicerad")


def form_of(control):
    return control.locator("xpath=ancestor::form[1]")


def saved(page: Page, form, fills, *, button: str = "Spara"):
    """Fill a save-in-place form, press its button, and wait until htmx has swapped in
    the answer "Sparat."; returns the new form. The old form is marked first, so the
    "Sparat." of an earlier save never counts."""
    form_id = form.get_attribute("id")
    for control, text in fills:
        control.fill(text)
    form.evaluate("f => f.dataset.stale = '1'")
    form.get_by_role("button", name=button, exact=True).click()
    fresh = page.locator(f'form[id="{form_id}"]:not([data-stale])')
    expect(fresh.get_by_role("status")).to_have_text("Sparat.")
    expect(fresh.get_by_role("alert")).to_have_count(0)
    return fresh


def shot(page: Page, name: str, **kw) -> None:
    page.screenshot(path=f"/tmp/ws-{name}.png", **kw)


# --- accessibility ---------------------------------------------------------------------------


def axe_violations(page) -> list[str]:
    """WCAG 2.1 AA violations axe-core finds on the page: rule, impact, the elements."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    # Evaluated through the DevTools protocol, which the site's Content-Security-Policy
    # (no inline script) does not govern; a <script> tag would be refused, as it should.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]
