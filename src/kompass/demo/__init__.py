"""Demo data: Örebro 2010, 2012 and 2015 from SKL's published report (the seed)."""

from pathlib import Path

import yaml

from kompass.evaluations.documents import ImportReport, dump_import

DEMO_FILE = Path(__file__).parent / "orebro.yaml"


def demo_load() -> ImportReport:
    """Load the demo data; evaluations already in the database are left as they are."""
    document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return dump_import(document, on_existing="skip")
