"""Print the oldest version of each runtime dependency that pyproject.toml allows.

CI installs cascade a second time with these as pip constraints, so the lower bounds the
pyproject promises are tested as well as the newest releases a fresh install resolves.
"""

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["project"]
for requirement in project["dependencies"]:
    found = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*([^;]*)", requirement)
    if found is None:
        continue
    name, spec = found.groups()
    floor = re.search(r">=\s*([0-9][^,\s]*)", spec)
    if floor is None:
        sys.exit(f"{name}: no lower bound in {requirement!r}; CI tests the oldest allowed")
    print(f"{name}=={floor.group(1)}")
