"""`python -m cascade` and the `cascade` command.

`cascade --version` answers before the CLI (typer) is imported: it is what scripts and bug
reports run first, and it should cost no more than starting Python.
"""

from __future__ import annotations

import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from cascade import __version__

        sys.stdout.write(f"cascade {__version__}\n")
        return 0
    from cascade.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
