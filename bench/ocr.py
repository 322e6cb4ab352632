"""Benchmark: a scanned report read through OCR, pages per second and rows read right.

Takes a report PDF with a text layer (the platform's own), scans it as the tests do
(pdftoppm at 200 dpi, turned up to half a degree, grey noise, saved as a PDF of images
only), then times ``kompass.importers.extract.read_source`` on the scan, once per number
of workers asked for, and counts the overview's rows (sub-questions and area totals)
that OCR read exactly as the text layer has them.

    KOMPASS_VAR_DIR=/tmp/bench-ocr .venv/bin/kompass load-demo
    KOMPASS_VAR_DIR=/tmp/bench-ocr .venv/bin/kompass report 1880 2015 --format pdf -o /tmp/orebro.pdf
    .venv/bin/python bench/ocr.py /tmp/orebro.pdf [--workers 1 2] [--pages 24-27] [--dpi 200]

No database: it reads files only. The machine's other load counts: run it on an idle one.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from kompass.importers import extract, ocr

ROW = re.compile(r"^\s*(?:(\d\.\d{1,2})\s+\S.*?\s{2,})?(\d{1,3})\s+(\d{1,3})\s+(\d{1,3})\s*%\s*$", re.M)


def rows(text: str) -> list[tuple]:
    return [m.groups() for m in ROW.finditer(text)]


def scan(pdf: Path, first: int | None, last: int | None) -> bytes:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        pages = ["-f", str(first), "-l", str(last)] if first else []
        subprocess.run(["pdftoppm", "-r", "200", "-gray", *pages, str(pdf), f"{folder}/p"], check=True)
        images = []
        for path in sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1])):
            page = Image.open(path).convert("L").rotate(rng.uniform(-0.5, 0.5), resample=Image.Resampling.BICUBIC, fillcolor=255)
            noise = Image.frombytes("L", page.size, rng.randbytes(page.size[0] * page.size[1]))
            images.append(Image.blend(page, noise, 0.12))
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--pages", help="first-last, from 1 (default: all)")
    parser.add_argument("--dpi", type=int, default=ocr.DPI)
    args = parser.parse_args()
    first, last = (int(n) for n in args.pages.split("-")) if args.pages else (None, None)
    pages = ["-f", str(first), "-l", str(last)] if first else []
    truth = rows(subprocess.run(["pdftotext", "-layout", *pages, str(args.pdf), "-"], capture_output=True, text=True, check=True).stdout)

    start = time.perf_counter()
    scanned = scan(args.pdf, first, last)
    print(f"scan made in {time.perf_counter() - start:.1f} s ({len(scanned) / 2**20:.1f} MB)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "skannad.pdf"
        path.write_bytes(scanned)
        ocr.DPI = args.dpi
        for workers in args.workers:
            ocr.WORKERS = workers
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            source = extract.read_source(path)
            seconds = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            count = source.text.count("\f") + 1
            read = rows(source.text)
            right = sum(min(read.count(r), truth.count(r)) for r in set(truth))
            print(
                f"{workers} worker(s), {args.dpi} dpi: {count} pages in {seconds:.1f} s = {count / seconds:.2f} pages/s "
                f"({seconds / count:.2f} s/page; tesseract and pdftoppm {cpu / count:.2f} s CPU/page); "
                f"overview rows read right {right}/{len(truth)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
