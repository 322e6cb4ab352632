"""The layers of docs/architecture.md, enforced: no module imports from a layer above
its own, nor from an independent neighbour (``a | b``) in its layer.

The layers are read from the document itself (its ```layers block), so the picture and
the rule cannot drift apart; every module must belong to a part named there. Imports
inside functions count as much as those at the top: a lazy import still ties the code."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src"
ARCHITECTURE = REPO / "docs" / "architecture.md"


@dataclass(frozen=True)
class Part:
    name: str  # dotted, relative to kompass ("catalogue.definitions"); "__init__" is the package itself
    layer: int  # 0 the top
    group: int  # parts of one layer with different groups may not import each other

    def holds(self, module: str) -> bool:
        full = "kompass" if self.name == "__init__" else f"kompass.{self.name}"
        return module == full or (self.name != "__init__" and module.startswith(full + "."))


def parts(text: str) -> list[Part]:
    """The parts of the ```layers block: one layer per line, top first, ``name: parts``;
    ``|`` separates independent groups of a layer."""
    block = re.search(r"```layers\n(.*?)```", text, re.S).group(1)
    found = []
    for layer, line in enumerate(row for row in block.splitlines() if row.strip() and not row.startswith("#")):
        for group, names in enumerate(line.split(":", 1)[1].split("|")):
            found += [Part(name, layer, group) for name in names.split()]
    return found


def exceptions(text: str) -> set[tuple[str, str]]:
    """The known crossings still to be removed (```exceptions block: ``module -> module``)."""
    block = re.search(r"```exceptions\n(.*?)```", text, re.S)
    rows = [row.split("#")[0] for row in (block.group(1).splitlines() if block else [])]
    return {tuple(side.strip() for side in row.split("->")) for row in rows if "->" in row}


def part_of(module: str, known: list[Part]) -> Part | None:
    """The part that holds a module: the longest name wins (catalogue.definitions over catalogue)."""
    holding = [p for p in known if p.holds(module)]
    return max(holding, key=lambda p: len(p.name), default=None)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SOURCE / "kompass").rglob("*.py")):
        name = ".".join(path.relative_to(SOURCE).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every kompass module this one imports, anywhere in it; ``from a import b`` names
    the module a.b when there is one."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names}
    return {name for name in found if name == "kompass" or name.startswith("kompass.")}


def crossings() -> tuple[list[str], list[str], set[tuple[str, str]]]:
    """Modules without a part, imports against the layers, and the exceptions not met."""
    text = ARCHITECTURE.read_text()
    known_parts, allowed = parts(text), exceptions(text)
    known = modules()
    unplaced, crossing, used = [], [], set()
    for module, path in known.items():
        own = part_of(module, known_parts)
        if own is None:
            unplaced.append(module)
            continue
        for target in sorted(imports(module, path, known)):
            other = part_of(target, known_parts)
            if other is None or other == own:
                continue
            if (module, target) in allowed:
                used.add((module, target))
                continue
            if other.layer < own.layer:
                crossing.append(f"{module} imports {target}: {own.name} may not use {other.name}, a layer above")
            elif other.layer == own.layer and other.group != own.group:
                crossing.append(f"{module} imports {target}: {own.name} and {other.name} are independent")
    return unplaced, crossing, allowed - used


def test_every_module_has_a_place_in_the_architecture():
    unplaced, _crossing, _stale = crossings()
    assert not unplaced, "Name these in the layers of docs/architecture.md: " + ", ".join(unplaced)


def test_imports_only_point_down():
    _unplaced, crossing, _stale = crossings()
    assert not crossing, "Imports against docs/architecture.md:\n" + "\n".join(crossing)


def test_every_exception_is_still_needed():
    """A crossing once removed is struck from the list, so the list only shrinks."""
    _unplaced, _crossing, stale = crossings()
    assert not stale, "No longer crossing; remove from docs/architecture.md: " + ", ".join(f"{a} -> {b}" for a, b in sorted(stale))


def test_the_rule_sees_a_crossing():
    """The checker itself: a data app importing the workspace is caught."""
    known_parts = parts(ARCHITECTURE.read_text())
    low, high = part_of("kompass.evaluations.models", known_parts), part_of("kompass.workspace.views", known_parts)
    assert low.layer > high.layer
    assert part_of("kompass.catalogue.definitions", known_parts).layer > part_of("kompass.catalogue.models", known_parts).layer
