"""Write each notebook's ``parameters`` cell lines as ``name: type = value  # help``.

The type and the one-line help come from the parameter's declaration in
``helpers.analyses.<notebook>`` (``Param.type`` and ``Param.help_text()``); the value
expression is kept as written. ``papermill --help-notebook`` reads them from there.
Only the source of that cell changes: outputs and every other cell stay as committed.
tests/test_papermill.py fails when a cell is out of step; then run

    .venv/bin/python tools/parameters_cells.py notebooks/*.ipynb
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import nbformat

from helpers.engine import catalog


def annotated_source(source: str, spec) -> str:
    """The cell's source with each top-level declared assignment written as ``name: type = value  # help``."""
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if not isinstance(target, ast.Name) or target.id not in spec or node.lineno != node.end_lineno:
            continue
        param = spec[target.id]
        line = lines[node.lineno - 1]
        expression = line.encode()[value.col_offset : value.end_col_offset].decode()  # offsets count bytes
        lines[node.lineno - 1] = f"{param.name}: {param.type.__name__} = {expression}  # {param.help_text()}"
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a cell is out of step")
    args = parser.parse_args(argv)
    stale = []
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        spec = catalog.module_for(path.stem).PARAMETERS
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        new = annotated_source(cell.source, spec)
        if new != cell.source:
            stale.append(path)
            if not args.check:
                cell.source = new
                nbformat.write(nb, path)
    for path in stale:
        print(f"{'out of step' if args.check else 'rewrote'}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
