"""Importing the settings writes nothing; the first ``kompass`` command makes the var
directory and its secret key (kompass.var_dir)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import KOMPASS


def _environment(**extra: str) -> dict[str, str]:
    names = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "KOMPASS_SECRET_KEY", "KOMPASS_VAR_DIR", "KOMPASS_UPLOAD_DIR"}
    return {**{k: v for k, v in os.environ.items() if k not in names}, **extra}


def _tree(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def test_importing_the_settings_creates_nothing(tmp_path):
    # Django reads them too, as every process does at start; the var directory is named
    # both ways: KOMPASS_VAR_DIR, and the default ./var under the working directory.
    code = "import django.conf; s = django.conf.settings; print(s.VAR_DIR, s.STATIC_ROOT, s.DATABASES['default']['NAME'])"
    for extra in ({"KOMPASS_VAR_DIR": str(tmp_path / "var")}, {}):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
            env=_environment(DJANGO_SETTINGS_MODULE="kompass.settings", **extra),
        )
        assert result.returncode == 0, result.stderr
        assert str(tmp_path / "var") in result.stdout
        assert _tree(tmp_path) == [], extra


def test_the_first_command_makes_the_var_directory_and_keeps_its_key(tmp_path):
    var = tmp_path / "var"
    env = _environment(KOMPASS_VAR_DIR=str(var))
    help_only = subprocess.run([str(KOMPASS), "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert help_only.returncode == 0 and _tree(tmp_path) == []
    keys = []
    for _run in range(2):
        result = subprocess.run([str(KOMPASS), "manage", "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        keys.append((var / "secret_key").read_text())
    assert keys[0] == keys[1] and len(keys[0]) > 50
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600
    assert (var / "static").is_dir()
