"""Benchmark: what the first visitor after a publication waits for on the public site.

Builds a fresh SQLite installation of its own (`kompass init`, `kompass generate
--evaluations N`), then, in-process with an empty cache each time, times:
- the open-data downloads built for the new data version (`opendata.files.built`);
- the map page `/karta/` drawn for the first time, and answered again;
- an evaluation page drawn for the first time (charts for the column and the phone,
  the trend, the comparison with other municipalities), and answered again.

    .venv/bin/python bench/public_site.py [--evaluations 1000] [--seed 1]

It is a benchmark, not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KOMPASS = Path(sys.executable).with_name("kompass")


def timed(what: str, call, runs: int = 1) -> None:
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - began)
    print(f"{what:<52} {min(seconds) * 1000:9.1f} ms" + (f" (best of {runs})" if runs > 1 else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="kompass-bench-site-"))
    env = {**os.environ, "KOMPASS_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    subprocess.run([KOMPASS, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([KOMPASS, "generate", "--evaluations", str(args.evaluations), "--seed", str(args.seed)],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    os.environ.update(KOMPASS_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="kompass.settings")
    os.environ.pop("DATABASE_URL", None)
    from kompass import var_dir

    var_dir.prepare()
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from kompass import page_cache
    from kompass.evaluations.models import Evaluation, Status
    from kompass.opendata import files

    def cold(path: str):
        def get():
            cache.clear()
            page_cache.recent.clear()
            response = Client(HTTP_HOST="127.0.0.1").get(path)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return get

    published = Evaluation.objects.filter(status=Status.PUBLISHED)
    print(f"{published.count()} published evaluations, SQLite in {var}")
    Client(HTTP_HOST="127.0.0.1").get("/")  # imports, URL configuration and the summaries: not the pages' cost
    timed("open-data downloads, built for a new data version", files.built)
    timed("open-data downloads, found built", files.built, runs=20)
    timed("/karta/, first drawing", cold("/karta/"), runs=3)
    timed("/karta/, answered again", lambda: Client(HTTP_HOST="127.0.0.1").get("/karta/"), runs=20)
    evaluation = published.filter(municipality__evaluations__year__lt=2025).order_by("-year", "pk").first()
    path = f"/utvardering/{evaluation.pk}/"
    timed(f"{path}, first drawing", cold(path), runs=3)
    timed(f"{path}, answered again", lambda: Client(HTTP_HOST="127.0.0.1").get(path), runs=20)


if __name__ == "__main__":
    main()
