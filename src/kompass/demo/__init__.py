"""Demo data: Örebro 2010, 2012 and 2015 from SKL's published report (the seed)."""

from pathlib import Path

import yaml

from kompass.dump.importing import ImportReport, dump_import

DEMO_FILE = Path(__file__).parent / "orebro.yaml"


def demo_load() -> ImportReport:
    """Load the demo data; evaluations already in the database are left as they are."""
    document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return dump_import(document, on_existing="skip")


DEMO_PASSWORD = "kompass-demo-2026"
DEMO_ACCOUNTS = [
    # user name, role, name, municipality code
    ("demo-admin", "admin", "Ada Administratör", None),
    ("demo-anna", "evaluator", "Anna Utvärderare", None),
    ("demo-bo", "evaluator", "Bo Utvärderare", None),
    ("demo-orebro", "municipality", "Olle Örebro", "1880"),
]


def demo_accounts() -> list[str]:
    """Accounts to try the workspace with, for `kompass demo` only and only in a database
    without any account, so that a real installation never gets a known password."""
    from django.contrib.auth import get_user_model

    from kompass.municipalities.models import Municipality
    from kompass.workspace.services import user_add

    if get_user_model().objects.exists():
        return []
    for username, role, name, code in DEMO_ACCOUNTS:
        municipality = Municipality.objects.get(country="SE", code=code) if code else None
        user_add(username=username, role=role, password=DEMO_PASSWORD, full_name=name, municipality=municipality)
    return [username for username, *_rest in DEMO_ACCOUNTS]
