"""The README cannot drift from the code (Datasette's way): every ``kompass`` subcommand and
option is in "The `kompass` command", every ``KOMPASS_*`` variable the code reads is in
"Configuration", and every package and top-level module is in the "Design" tree."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from kompass.cli.parser import build_parser

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src" / "kompass"
# Django's own folders: named by convention, not by design.
CONVENTIONAL_PACKAGES = {"migrations", "templatetags"}


def _section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no section '## {title}'"
    return match.group(1)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _commands(parser=None, path=()):
    """(path, parser) of every command that runs something: ("catalogue", "load"), …"""
    parser = parser or build_parser()
    children = _subcommands(parser)
    if not children:
        yield path, parser
    for name, child in children.items():
        yield from _commands(child, (*path, name))


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """Each option by its long name (``--output``, not ``-o``); --help left out."""
    names = []
    for action in parser._actions:
        if action.option_strings and not isinstance(action, argparse._HelpAction):
            names.append(max(action.option_strings, key=len))
    return names


def _command_rows() -> dict[tuple[str, ...], str]:
    """The table's rows by the command they document: the words of the first cell after
    ``kompass`` that name subcommands (``kompass catalogue load FILE …`` is ("catalogue",
    "load")); rows of one command are joined."""
    rows: dict[tuple[str, ...], str] = {}
    for line in _section("The `kompass` command").splitlines():
        match = re.match(r"\| `kompass ([^`]*)`", line)
        if not match:
            continue
        parser, path = build_parser(), []
        for word in match.group(1).split():
            children = _subcommands(parser)
            if word not in children:
                break
            parser, path = children[word], [*path, word]
        rows[tuple(path)] = rows.get(tuple(path), "") + line
    return rows


def _mentions(text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def test_every_subcommand_and_option_is_in_the_readme():
    rows = _command_rows()
    missing = []
    for path, parser in _commands():
        command = " ".join(("kompass", *path))
        if path not in rows:
            missing.append(f"{command}: no row in the table")
            continue
        missing += [f"{command} {option}" for option in _options(parser) if not _mentions(rows[path], option)]
    assert not missing, "README.md, 'The `kompass` command', does not mention:\n" + "\n".join(missing)


def _environment_variables() -> dict[str, str]:
    """Every KOMPASS_* name the code reads from the environment, with the file reading it:
    each string literal that is such a name, except a ``getattr(settings, "KOMPASS_…")``
    (a Django setting, which the settings module fills from a variable of its own)."""
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        settings_names = {
            id(node.args[1]) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) > 1
        }
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in settings_names
                    and re.fullmatch(r"KOMPASS_[A-Z0-9_]+", node.value)):
                found.setdefault(node.value, str(path.relative_to(SOURCE)))
    return found


def test_every_environment_variable_is_in_the_configuration_table():
    documented = set()
    for line in _section("Configuration").splitlines():
        if line.startswith("| `"):
            documented |= set(re.findall(r"`(KOMPASS_[A-Z0-9_]+)`", line.split("|")[1]))
    variables = _environment_variables()
    assert "KOMPASS_SECRET_KEY" in variables and "KOMPASS_CONN_MAX_AGE" in variables  # the scan itself works
    missing = [f"{name} (read in {where})" for name, where in sorted(variables.items()) if name not in documented]
    assert not missing, "README.md's Configuration table does not list:\n" + "\n".join(missing)


def _design_entries() -> dict[str, str]:
    """The Design tree's entries, each with its text: a line indented by two spaces starts
    with one or more names (``cli/``, ``settings.py, urls.py, wsgi.py``); deeper-indented
    lines continue it."""
    tree = re.search(r"```\nsrc/kompass/\n(.*?)```", _section("Design"), re.S)
    assert tree, "README.md's Design section has no tree starting with src/kompass/"
    entries: dict[str, str] = {}
    current: list[str] = []
    for line in tree.group(1).splitlines():
        if names := re.match(r"  ((?:\w+(?:/|\.py))(?:, \w+(?:/|\.py))*)(?:\s|$)", line):
            current = names.group(1).split(", ")
            for name in current:
                entries[name] = line
        else:
            for name in current:
                entries[name] += "\n" + line
    return entries


def _packages_and_modules() -> list[Path]:
    found = [path for path in SOURCE.iterdir() if path.suffix == ".py" and path.name != "__init__.py"]
    found += [init.parent for init in SOURCE.rglob("__init__.py") if init.parent != SOURCE]
    return sorted(path for path in found if not CONVENTIONAL_PACKAGES & set(path.relative_to(SOURCE).parts))


def test_every_package_and_module_is_in_the_design_tree():
    entries = _design_entries()
    missing = []
    for path in _packages_and_modules():
        parts = path.relative_to(SOURCE).parts
        name = parts[0] + ("/" if path.is_dir() or len(parts) > 1 else "")
        if name not in entries:
            missing.append(f"{name} (an entry of its own)")
        elif len(parts) > 1 and not re.search(rf"(?<![\w/]){re.escape(parts[-1])}/", entries[name]):
            missing.append(f"{'/'.join(parts)}/ (named as {parts[-1]}/ in the entry {name})")
    assert not missing, "README.md's Design tree does not name:\n" + "\n".join(missing)


@pytest.mark.parametrize("option", ["--dry-run", "--json"])
def test_an_option_is_found_only_as_a_whole_word(option):
    assert _mentions(f"`kompass x [{option}]`", option)
    assert not _mentions(f"`kompass x [{option}-more]`", option)
