"""Imports between the ETL's modules run one way only: stages stand on a shared foundation and never
import one another; only the orchestration (compose, cli, config, bench, demo, flows/) wires them.

Read from the source with `ast`, so an import inside a function counts like one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "etl"

# The stages in the order a page goes through them. Each hands its records (models.py) to the next
# through the orchestration, so a stage needs no other stage: an import between two of them, in
# either direction, puts knowledge in the wrong home (a URL rule in discover that load needs, a text
# rule in parse that clean needs) and belongs in the foundation instead.
STAGES = ("discover", "fetch", "parse", "clean", "extract", "load")

# Where each module sits; a module not listed takes the place of its nearest listed package.
LAYER_OF = {
    # The foundation, below every stage.
    "etl.models": "foundation",  # the typed records the stages pass on
    "etl.urls": "foundation",  # what a People's Daily URL means
    # The paper's text grammar (normalisation, datelines, bylines, credit lines): parse reads pages
    # with it, clean tidies parsed text with it, discover drops 责编 entries by it.
    "etl.text_grammar": "foundation",
    "etl.text_safety": "foundation",  # what may be printed to a terminal
    "etl.pins": "foundation",  # version pins of the extractor and the parser
    "etl.report_records": "foundation",  # what the report shows: load reads it, report draws it
    # The stages.
    "etl.discover": "discover",
    "etl.sitemaps": "discover",
    "etl.fetch": "fetch",
    "etl.parse": "parse",
    # The parser's pin tool reads the fixture pages as fetch decodes them: it runs the stages, it is
    # none of them.
    "etl.parse.fingerprint": "orchestration",
    "etl.clean": "clean",
    "etl.extract": "extract",
    "etl.load": "load",
    "etl.integrity": "load",  # the guards on what is about to be loaded
    # The analyst report's page and charts, drawn from records: it never reads the warehouse.
    "etl.report": "report",
    # How a run ends: it stops on the fetch stage's RunStop, and load reports the machine's failures
    # through it, so it sits between the two.
    "etl.outcome": "run",
    # The orchestration, above everything.
    "etl": "orchestration",  # the package itself
    "etl.compose": "orchestration",
    "etl.reprocess": "orchestration",  # archived pages through the page composition again
    "etl.indicator_changes": "orchestration",  # the pure diff of a reprocess's indicator rows
    "etl.cli": "orchestration",
    "etl.config": "orchestration",
    "etl.bench": "orchestration",
    "etl.demo": "orchestration",
}

# What each layer may import besides its own modules.
MAY_IMPORT = {
    "foundation": frozenset(),
    "discover": frozenset({"foundation"}),
    "fetch": frozenset({"foundation"}),
    "parse": frozenset({"foundation"}),
    "clean": frozenset({"foundation"}),
    "extract": frozenset({"foundation"}),
    "run": frozenset({"foundation", "fetch"}),
    "load": frozenset({"foundation", "run"}),
    "report": frozenset({"foundation"}),
    "orchestration": frozenset({"foundation", *STAGES, "run", "report"}),
}


# Libraries only the orchestration may use: the stages are plain functions that run the same under
# Prefect, a test or a script. The fetcher's cross-process turn-taking is a hook (SharedTurns) that
# flows/ implements on Prefect and installs.
ORCHESTRATION_ONLY = frozenset({"prefect"})


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = SRC.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if (layer := LAYER_OF.get(".".join(parts[:end]))) is not None:
            return layer
    return None


def imported_modules(module: str, tree: ast.AST, *, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every etl module `tree` imports; `from etl import clean` imports etl.clean."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "etl"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                target = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "etl":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((node.lineno, sub if is_module(sub) else target))
    return found


def violations(module: str, tree: ast.AST, *, is_package: bool = False) -> list[str]:
    layer = layer_of(module)
    allowed = MAY_IMPORT[layer] | {layer} if layer else frozenset()
    wrong = []
    for line, target in imported_modules(module, tree, is_package=is_package):
        target_layer = layer_of(target)
        if target_layer not in allowed:
            wrong.append(f"{module}:{line} ({layer}) imports {target} ({target_layer})")
    return wrong


def library_violations(module: str, tree: ast.AST) -> list[str]:
    """Imports of an orchestration-only library (Prefect) from a module below the orchestration."""
    if layer_of(module) == "orchestration":
        return []
    wrong = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        wrong += [
            f"{module}:{node.lineno} imports {n}" for n in names if n.split(".")[0] in ORCHESTRATION_ONLY
        ]
    return wrong


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_place() -> None:
    assert [module_name(p) for p in _modules() if layer_of(module_name(p)) is None] == []


def test_the_orchestration_may_use_every_layer() -> None:
    assert set(MAY_IMPORT) == set(LAYER_OF.values())


@pytest.mark.parametrize("path", _modules(), ids=lambda p: module_name(p))
def test_imports_run_one_way(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert violations(module_name(path), tree, is_package=path.name == "__init__.py") == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: module_name(p))
def test_only_the_orchestration_uses_prefect(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert library_violations(module_name(path), tree) == []


def test_a_stage_importing_prefect_is_found() -> None:
    source = "from prefect.concurrency.sync import rate_limit\ndef f():\n    import prefect"
    assert len(library_violations("etl.fetch.fetcher", ast.parse(source))) == 2
    assert library_violations("etl.cli.serve", ast.parse(source)) == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("etl.discover", "from etl.parse.layout import resolve_link"),  # a later stage
        ("etl.load", "from etl.discover import article_refs"),  # an earlier stage
        ("etl.load", "from etl import fetch"),
        ("etl.clean", "def f():\n    import etl.parse.body"),  # inside a function
        ("etl.urls", "from etl.parse import parse_article"),  # the foundation on a stage
        ("etl.fetch.fetcher", "from ..parse import dom"),  # relative
    ],
)
def test_a_wrong_way_import_is_found(module: str, source: str) -> None:
    assert len(violations(module, ast.parse(source))) == 1


def test_imports_within_a_stage_and_down_to_the_foundation_pass() -> None:
    source = "\n".join(
        (
            "from etl.parse.dom import text_of",
            "from etl.text_grammar import byline",
            "from etl.urls import source_key",
        )
    )
    assert violations("etl.parse.portal", ast.parse(source)) == []
