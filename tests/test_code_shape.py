"""The code stays readable by a newcomer: short functions, modules of one topic.

Limits (issue 14): a function of at most FUNCTION_LINES lines, a module of at most MODULE_LINES
lines in src/helpers. A longer analysis becomes a subpackage (parameters, generator, model,
figures); a longer function becomes one function per step.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers.engine.paths import ROOT

FUNCTION_LINES = 80
MODULE_LINES = 500
PACKAGE = ROOT / "src" / "helpers"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def function_lengths(source: str) -> dict[str, int]:
    """Lines of every function and method (decorators and docstring included), by qualified name."""
    out: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    out[name] = (child.end_lineno or child.lineno) - start + 1
                visit(child, name + ".")

    visit(ast.parse(source), "")
    return out


def test_function_lengths_are_measured():
    source = "def f():\n" + "    x = 1\n" * 9 + "\nclass C:\n    @staticmethod\n    def g():\n        pass\n"
    assert function_lengths(source) == {"f": 10, "C.g": 3}


def test_no_function_is_longer_than_the_limit():
    long = {
        f"{path.relative_to(PACKAGE)}:{name}": n
        for path in _modules()
        for name, n in function_lengths(path.read_text()).items()
        if n > FUNCTION_LINES
    }
    assert not long, f"functions over {FUNCTION_LINES} lines (split them by step): {long}"


def test_no_module_is_longer_than_the_limit():
    long = {str(p.relative_to(PACKAGE)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MODULE_LINES}
    assert not long, f"modules over {MODULE_LINES} lines (split them by topic): {long}"
