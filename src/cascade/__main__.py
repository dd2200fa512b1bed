"""`python -m cascade` and the `cascade` command.

`cascade --version` answers before the CLI (typer) is imported: it is what scripts and bug
reports run first, and it should cost no more than starting Python. So does a plain
`cascade validate` (see `fastpath`), the command CI and pre-commit run on every change.
"""

from __future__ import annotations

import sys


def main() -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that is not UTF-8 (LC_ALL=C, a Windows console) gets what it
        # can hold and escapes for the rest (plan text, cascade's own `·` and `—`), never
        # an encoding error half-way through a report.
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
    if sys.argv[1:] == ["--version"]:
        from cascade import __version__

        sys.stdout.write(f"cascade {__version__}\n")
        return 0
    if sys.argv[1:2] == ["validate"]:
        from cascade.fastpath import main as validate

        code = validate(sys.argv[1:])
        if code is not None:
            return code
    from cascade.cli import main as run

    return run()


def entry() -> None:
    """Run, then leave with the output flushed (`collector.leave`)."""
    code = main()
    from cascade.collector import leave

    leave(code)


if __name__ == "__main__":
    entry()
