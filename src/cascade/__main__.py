"""`python -m cascade` and the `cascade` command.

`cascade --version` answers before the CLI (typer) is imported: it is what scripts and bug
reports run first, and it should cost no more than starting Python. So does a plain
`cascade validate` (see `fastpath`), the command CI and pre-commit run on every change.
"""

from __future__ import annotations

import os
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
    """Run, then leave at once: tearing down a big plan's millions of objects one by one
    took Python 0.4 s after a 10,000-person run had already printed everything."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # a reader that went away (`| head`): nothing left to say to it
    from cascade import speed

    if speed.on("exit"):
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
