"""Benchmark: the full PDF report of Örebro 2015 against its floor.

Full: report_context → HTML with charts → WeasyPrint → PDF with the embedded data, as
`kompass report` and the download link do. Floor: WeasyPrint alone rendering the same,
already prepared HTML with the same options (tagged PDF, the embedded data). Prints the
median wall time of each and their ratio.

    .venv/bin/python bench/report_pdf.py [--runs 9]

Runs on a throw-away SQLite database (or DATABASE_URL) with the demo data loaded.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def _setup() -> None:
    tmp = tempfile.mkdtemp(prefix="kompass-bench-")
    os.environ.setdefault("KOMPASS_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompass.settings")
    import django
    from django.core.management import call_command

    from kompass import var_dir

    var_dir.prepare()  # as every kompass command does before Django starts
    django.setup()
    call_command("migrate", verbosity=0)
    from kompass.demo import demo_load

    demo_load()


def _median(fn, runs: int) -> float:
    fn()  # warm-up: imports, font configuration, template loading
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    _setup()

    from weasyprint import HTML

    from kompass.evaluations.models import Evaluation
    from kompass.reports.context import report_context
    from kompass.reports.formats import render_report
    from kompass.reports.html import report_html
    from kompass.reports.pdf import render_pdf

    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    context = report_context(evaluation)
    prepared = report_html(context, for_print=True)

    full = _median(lambda: render_report(evaluation, "pdf"), args.runs)
    floor = _median(lambda: render_pdf(prepared, data=context.data), args.runs)
    pages = len(HTML(string=prepared).render().pages)
    print(f"Örebro 2015, {pages} pages, median of {args.runs} runs")
    print(f"full PDF report:         {full:.3f} s")
    print(f"WeasyPrint alone (floor): {floor:.3f} s")
    print(f"ratio:                    {full / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
