"""`kompass serve`, the production server the README documents, started as an operator
would after `make install`: gunicorn must come with the package (it once did not)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from conftest import KOMPASS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def test_serve_answers_with_gunicorn_workers(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KOMPASS_VAR_DIR"] = str(tmp_path / "var")
    loaded = subprocess.run([str(KOMPASS), "load-demo"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(KOMPASS), "serve", "--port", str(port), "--workers", "2"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _page = _get(base + "/")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "kompass serve did not answer within 60 s"
                time.sleep(0.2)
        assert status == 200
        status, page = _get(base + "/kommun/SE/1880/")
        assert status == 200 and "Örebro" in page
        status, data = _get(base + "/api/evaluations?municipality=1880")
        assert status == 200 and '"year": 2015' in data
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert "Booting worker" in (tmp_path / "serve.log").read_text()
