"""The pipeline's shape, asserted: the arrows that must not exist (architecture.md,
"Where things live"), indicators as data, and modules short enough to read.

Imports are read from the source with ``ast`` (function-level imports included),
so a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wres_cli"

#: (modules the rule applies to, modules they must never import). A name covers the
#: module and everything under it; "report" is the package ``wres_cli.report``.
NEVER = [
    # The report renders documents; it neither reads extracts nor computes.
    ("report", ("api", "counts", "io.readers", "io.csv", "io.workbook", "io.parquet",
                "io.discover", "prepare", "schemas", "measure", "disclosure")),
    # Charts draw rows; they know nothing of where the rows came from.
    ("charts", ("api", "counts", "io", "prepare", "schemas", "measure", "disclosure",
                "report", "cli")),
    # Validation does not depend on counting.
    ("schemas", ("counts", "measure", "disclosure", "report", "api")),
    # Benchmark pools counts files; it does not run the folder pipeline or the trend.
    ("benchmark", ("api", "trend", "io.readers")),
    # Stages never reach back to a later stage or to the face.
    ("io", ("counts", "measure", "disclosure", "report", "api", "cli")),
    ("counts", ("measure", "disclosure", "report", "api", "cli")),
    ("measure", ("disclosure", "report", "api", "cli")),
    ("disclosure", ("report", "api", "cli", "counts", "io.readers")),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """The ``wres_cli`` modules ``path`` imports, as names relative to the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".") if path.name == "__init__.py" \
        else module_name(path).split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(["wres_cli", *base, *(node.module or "").split(".")]).strip(".")
            else:
                module = node.module or ""
            names.add(module)
            # ``from wres_cli import trend`` imports the module wres_cli.trend
            names |= {f"{module}.{a.name}" for a in node.names}
    return {n.removeprefix("wres_cli.") for n in names if n.startswith("wres_cli.")}


def covers(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_the_scan_sees_lazy_and_relative_imports() -> None:
    # The rule is only as good as the scan: a function-level import must count.
    probe = PACKAGE / "report" / "_probe_for_test.py"
    probe.write_text("def f():\n    from wres_cli.api import compute\n"
                     "    from ..counts import count\n    from . import format\n")
    try:
        found = imported(probe)
    finally:
        probe.unlink()
    assert {"api", "counts", "report.format"} <= found


@pytest.mark.parametrize(("owner", "forbidden"), NEVER, ids=[o for o, _ in NEVER])
def test_no_forbidden_arrow(owner: str, forbidden: tuple[str, ...]) -> None:
    modules = source_modules()
    assert any(covers(m, owner) for m in modules), f"no module {owner}"
    broken = sorted(
        f"{name} imports {target}"
        for name, path in modules.items() if covers(name, owner)
        for target in imported(path)
        if any(covers(target, f) for f in forbidden) and not covers(target, owner)
    )
    assert broken == []


def test_only_the_face_imports_the_cli_and_typer() -> None:
    offenders = []
    for name, path in source_modules().items():
        if name in ("cli", "__main__"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{name} imports {m}" for m in mods
                          if m.split(".")[0] in ("typer", "click") or m == "wres_cli.cli"]
    assert offenders == []


# --------------------------------------------------------------------------- ids


def shipped_ids() -> set[str]:
    ids = set()
    for path in (ROOT / "indicators").rglob("*.toml"):
        ids.add(str(tomllib.loads(path.read_text(encoding="utf-8"))["id"]))
    return ids


def extract_names() -> set[str]:
    from wres_cli.contract import EXTRACTS

    return set(EXTRACTS)


#: Modules whose job is to read behaviour from the definitions (architecture.md:
#: "disclosure's definition-driven code"), or to write synthetic data and help text.
ALLOWED = {"disclosure.definitions"}


def id_uses(path: Path, ids: set[str], named: set[str] | None = None) -> Iterator[str]:
    """Places where a string equal to an indicator id decides behaviour: compared with
    something, used as (part of) a dict key, collected with other ids, or assigned to
    a name that says it is an indicator (checked against ``named``, all the ids)."""
    named = ids if named is None else named
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def is_id(node: ast.AST | None) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, str) \
            and node.value in ids

    def ids_in(node: ast.AST | None) -> list[str]:
        if is_id(node):
            return [node.value]  # type: ignore[union-attr]
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return [e.value for e in node.elts if is_id(e)]  # type: ignore[union-attr]
        return []

    for node in ast.walk(tree):
        where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                for found in ids_in(side):
                    yield f"{where} compares with indicator id {found!r}"
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                for found in ids_in(key):
                    yield f"{where} keys a dict by indicator id {found!r}"
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and len(ids_in(node)) >= 2:
            yield f"{where} lists indicator ids {ids_in(node)}"
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and node.value.value in named:
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if any("INDICATOR" in n.upper() for n in names):
                yield f"{where} names indicator id {node.value.value!r}"


def test_the_id_scan_finds_an_id_keyed_table(tmp_path: Path) -> None:
    module = PACKAGE / "_probe_for_test.py"
    probe = tmp_path / "probe.py"
    probe.write_text('PHRASES = {("nhs", "9a"): 1}\nif x == "7b": pass\nORDER = ("1", "2")\n')
    try:
        module.write_text(probe.read_text())
        found = list(id_uses(module, {"1", "2", "7b", "9a"}))
    finally:
        module.unlink()
    assert len(found) == 3


def test_no_module_names_indicator_ids_for_behaviour() -> None:
    # "pay" is also the pay extract's name: compared or keyed, it is the extract;
    # assigned to an INDICATOR name, it is the indicator.
    ids = shipped_ids()
    uses = [use for name, path in source_modules().items() if name not in ALLOWED
            for use in id_uses(path, ids - extract_names(), ids)]
    assert uses == []


def test_no_source_file_is_longer_than_700_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700}
    assert long == {}
