"""Print how the packages installed in the running environment differ from the lock file
(``make test-latest``): one line per package whose version is not the pinned one."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from sync_environment import locked_pins  # the one reader of the lock file's pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(lock: str) -> int:
    pinned = {_norm(name): version for name, version in (pin.split("==", 1) for pin in locked_pins(Path(lock)))}
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}
    changed = sorted(
        (name, pinned[name], installed[name])
        for name in pinned
        if name in installed and installed[name] != pinned[name]
    )
    print(f"{len(changed)} of {len(pinned)} pinned packages have a newer (or other) release installed here:")
    for name, old, new in changed:
        print(f"  {name:<32} {old:>14} -> {new}")
    missing = sorted(set(pinned) - set(installed))
    if missing:
        print("pinned but not installed here: " + ", ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
