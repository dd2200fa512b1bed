"""`cascade init [DIR]`: scaffold a plan repository that validates clean. Never overwrites."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from cascade.commands.options import (
    AsOfOpt,
    IgnoredNoColorOpt,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)

# (file in the package's scaffold folder, where it goes in the new repository)
SCAFFOLD: tuple[tuple[str, str], ...] = (
    ("cascade.yaml", "cascade.yaml"),
    ("plans/organization.yaml", "plans/organization.yaml"),
    ("plans/departments/sales.yaml", "plans/departments/sales.yaml"),
    ("plans/people.yaml", "plans/people.yaml"),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ("github-workflow.yml", ".github/workflows/cascade.yml"),
)
SCHEMA_FILE = "cascade.schema.json"
CONFIG_SCHEMA_FILE = "cascade.config.schema.json"  # what cascade.yaml's first line names
_MARKER = re.compile(r"@([A-Z]+)@")


@guard
def init(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="[DIR]",
            help="Where to create the plan repository (default: the current directory).",
            show_default=False,
        ),
    ] = Path("."),
    as_of: AsOfOpt = None,
    no_color: IgnoredNoColorOpt = False,
    quiet: Annotated[bool, quiet_option("No list of the files written.")] = False,
    version: VersionOpt = False,
) -> None:
    """Scaffold a plan repository: an example plan, cascade.yaml, pre-commit and CI.

    Writes plans/ (a small plan that validates clean: vision, two objectives, a
    department with a goal and KPI, a person), cascade.yaml with every setting at its
    default, .pre-commit-config.yaml, .github/workflows/cascade.yml, and
    cascade.schema.json and cascade.config.schema.json for editors. It never overwrites
    a file: when one exists it lists them all, writes nothing and exits 2; nor does it
    write inside the plan of a repository around DIR. The example's period starts this
    month (--as-of sets the date).

    Example: cascade init strategy && cd strategy && cascade validate
    """
    from cascade.errors import CascadeError

    today = parse_as_of(as_of) or datetime.date.today()
    files = scaffold(today)
    if directory.exists() and not directory.is_dir():
        raise CascadeError(f"cannot scaffold into {directory}: it is a file")
    _outside_a_plan(directory)
    existing = [name for name in files if _taken(directory, name)]
    if existing:
        listing = "".join(f"\n  {directory / name}" for name in existing)
        raise CascadeError(
            f"init never overwrites; {len(existing)} of its files exist already "
            f"(nothing was written):{listing}"
        )
    _write_all(directory, files)
    if not quiet:
        where = "the current directory" if directory == Path(".") else str(directory)
        typer.echo(f"Created a plan repository in {where}:")
        for name in files:
            typer.echo(f"  {name}")
        typer.echo(
            "Next: edit the plan in plans/ and run `cascade validate`; "
            "`pre-commit install` checks it before every commit."
        )


def scaffold(today: datetime.date) -> dict[str, str]:
    """Every file of a new plan repository, by path, with dates and versions filled in."""
    from importlib.resources import files

    from cascade import REPOSITORY, __version__
    from cascade.schema import config_schema, plan_schema, render

    start = today.replace(day=1)
    # Twelve months from the first of this month: the example is on track from day one.
    end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    values = {
        "TODAY": today.isoformat(),
        "START": start.isoformat(),
        "END": end.isoformat(),
        "PERIOD": f"FY{end.year}",
        "VERSION": __version__,
        "REPOSITORY": REPOSITORY,
    }
    source = files("cascade").joinpath("scaffold")
    out: dict[str, str] = {}
    for packaged, target in SCAFFOLD:
        text = source.joinpath(packaged).read_text(encoding="utf-8")
        depth = len(PurePosixPath(target).parts) - 1
        out[target] = _fill(text, {**values, "SCHEMA": "../" * depth + SCHEMA_FILE})
    out[SCHEMA_FILE] = render(plan_schema())
    out[CONFIG_SCHEMA_FILE] = render(config_schema())
    return dict(sorted(out.items()))


def _fill(text: str, values: dict[str, str]) -> str:
    """Replace every `@NAME@` marker; an unknown marker is a bug in the scaffold."""
    return _MARKER.sub(lambda match: values[match.group(1)], text)


def _outside_a_plan(directory: Path) -> None:
    """Refuse a folder inside the plan of a repository around it: `cascade init plans` in
    a repository that has `plans/` scaffolded `plans/plans/` and a second `cascade.yaml`,
    and the next `validate` there read the example as part of the plan (duplicate ids)."""
    from cascade.errors import CascadeError
    from cascade.sources import display_path, find_config, plan_root, read_config

    target = Path(os.path.realpath(directory))
    outer = find_config(target.parent)
    if outer is None:
        return
    try:
        document = read_config(outer)
        settings = document.data if isinstance(document.data, dict) else {}
    except CascadeError:
        settings = {}  # a broken config: its default plans/ is where the plan would be
    plans = Path(os.path.realpath(plan_root(outer, settings.get("plans"))))
    if target == plans or target.is_relative_to(plans):
        raise CascadeError(
            f"{directory} lies inside the plan of {display_path(outer)} "
            f"({display_path(plans)}): its next validate would read the example as part of "
            "the plan (nothing was written); run init in a folder of its own"
        )


def _taken(directory: Path, name: str) -> bool:
    """True when the path, or a parent of it inside `directory`, is in the way."""
    path = directory / name
    if path.exists() or path.is_symlink():
        return True
    return any(parent.is_file() for parent in path.parents if parent != directory)


def _write_all(directory: Path, files: dict[str, str]) -> None:
    """Create every file (never replacing one); on failure remove what was created."""
    from cascade.errors import CascadeError

    created: list[Path] = []
    try:
        for name, text in files.items():
            path = directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            # "x": exclusive creation, so a file that appeared meanwhile is never replaced.
            with open(path, "x", encoding="utf-8", newline="\n") as stream:
                created.append(path)
                stream.write(text)
    except OSError as exc:
        for path in created:
            with contextlib.suppress(OSError):
                os.unlink(path)
        where = exc.filename or directory
        raise CascadeError(f"cannot write {where}: {exc.strerror or exc}") from None
