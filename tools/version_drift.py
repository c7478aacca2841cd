"""Print how the packages installed in the running environment differ from the lock file
(``make test-latest``): one line per package whose version is not the pinned one."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(lock: str) -> int:
    pinned = {}
    for line in Path(lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pinned[_norm(match.group(1))] = match.group(2)
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}
    changed = sorted((name, pinned[name], installed[name]) for name in pinned
                     if name in installed and installed[name] != pinned[name])
    print(f"{len(changed)} of {len(pinned)} pinned packages have a newer (or other) release installed here:")
    for name, old, new in changed:
        print(f"  {name:<32} {old:>14} -> {new}")
    missing = sorted(set(pinned) - set(installed))
    if missing:
        print("pinned but not installed here: " + ", ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
