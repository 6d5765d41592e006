"""The core's layering: each package imports only the packages below it, and never Streamlit.

The order is the README's architecture diagram, top to bottom.  Every ``import`` in
``geo/`` counts, including those inside functions (a lazy import is still a dependency).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[2] / "geo"

# Top to bottom; a module of the bottom floor is its own layer, below every package.
LAYERS = [
    "cli", "cli_filters", "bench", "report", "analysis", "ingest", "store", "spatial", "i18n",
    "reference",
]  # fmt: skip
BOTTOM = {"schema", "labels", "distance", "pairs", "paths"}


def _rank(name: str) -> int:
    if name in LAYERS:
        return LAYERS.index(name)
    if name in BOTTOM:
        return len(LAYERS)
    raise AssertionError(f"geo.{name} is in no layer: add it to LAYERS or BOTTOM")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name == "geo" or name.startswith("geo.")]


def _own_layer(path: Path) -> str:
    relative = path.relative_to(GEO)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


MODULES = sorted(p for p in GEO.rglob("*.py") if p.name != "__init__.py" or p.parent != GEO)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GEO)))
def test_module_imports_only_layers_below_it(path):
    own = _own_layer(path)
    wrong = []
    for line, name in _imports(path):
        parts = name.split(".")
        if len(parts) < 2:
            wrong.append(f"line {line}: imports the geo package itself")
            continue
        target = parts[1]
        if target == own:
            continue
        if own in BOTTOM:
            wrong.append(f"line {line}: the bottom floor imports {name}")
        elif _rank(target) <= _rank(own):
            wrong.append(f"line {line}: {own} imports {name}, which is not below it")
    assert not wrong, f"{path.relative_to(GEO)}: " + "; ".join(wrong)


def test_no_two_packages_import_each_other():
    edges = set()
    for path in MODULES:
        own = _own_layer(path)
        for _, name in _imports(path):
            parts = name.split(".")
            if len(parts) > 1 and parts[1] != own:
                edges.add((own, parts[1]))
    cycles = sorted((a, b) for a, b in edges if (b, a) in edges and a < b)
    assert not cycles, f"packages importing each other: {cycles}"


def test_only_the_store_speaks_sql():
    speaking = []
    for path in MODULES:
        if _own_layer(path) == "store":
            continue
        for _, name in _imports_all(path):
            if name.split(".")[0] in ("sqlalchemy", "duckdb", "psycopg"):
                speaking.append(f"{path.relative_to(GEO)} imports {name}")
    assert not speaking, "; ".join(speaking)


APP = [GEO.parent / "dashboard.py", *GEO.parent.glob("ui/**/*.py"), *GEO.parent.glob("pages/*.py")]


def test_only_the_store_touches_tables():
    """Ingest, pages and the rest ask the store's methods; none of them writes a table."""
    touching = []
    for path in [*MODULES, *APP]:
        if path.is_relative_to(GEO) and _own_layer(path) == "store":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if "geo.store.tables" in names:
                touching.append(f"{path.relative_to(GEO.parent)} line {node.lineno}")
    assert not touching, "geo.store.tables imported by: " + "; ".join(touching)


def _imports_all(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def test_importing_geo_leaves_streamlit_out():
    code = (
        "import sys, geo.cli, geo.report.maps, geo.report.charts, geo.analysis.trends, "
        "geo.ingest.importer; print('streamlit' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
