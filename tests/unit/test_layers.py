"""The dependency rule: nothing below web/ and scheduler.py loads them, not even through importlib."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]
LOWER_LAYERS = ("domain", "petitions", "projections")
TOP_LAYERS = {"web", "scheduler"}
DYNAMIC_IMPORTS = {"import_module", "__import__"}


def sources() -> list[Path]:
    """Return every Python file of the layers below web/ and scheduler.py."""
    return sorted(path for layer in LOWER_LAYERS for path in (ROOT / layer).rglob("*.py"))


def imported_names(tree: ast.AST) -> list[str]:
    """Return the modules an ``import`` or ``from … import`` statement names."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def dynamic_imports(tree: ast.AST) -> list[ast.Call]:
    """Return the calls of ``importlib.import_module`` or ``__import__``."""
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in DYNAMIC_IMPORTS:
                calls.append(node)
    return calls


def test_nothing_below_the_top_layers_imports_web_or_scheduler() -> None:
    offenders = [f"{path.relative_to(ROOT)}: {name}" for path in sources()
                 for name in imported_names(ast.parse(path.read_text("utf-8")))
                 if name.split(".")[0] in TOP_LAYERS]

    assert offenders == []


def test_nothing_below_the_top_layers_imports_through_importlib() -> None:
    offenders = [f"{path.relative_to(ROOT)}:{call.lineno}" for path in sources()
                 for call in dynamic_imports(ast.parse(path.read_text("utf-8")))]

    assert offenders == []
