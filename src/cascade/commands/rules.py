"""`cascade rules [CODE-or-NAME]`: the rule reference, from the rules' own docstrings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from cascade.commands.options import (
    IgnoredAsOfOpt,
    NoColorOpt,
    OutputOpt,
    ReportFormat,
    ReportFormatOpt,
    VersionOpt,
    guard,
    quiet_option,
)

if TYPE_CHECKING:
    from cascade.rules import Rule


def complete_rule(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: codes and names that start with what was typed, with their summary."""
    from cascade.rules import all_rules

    typed = incomplete.lower()
    found: list[tuple[str, str]] = []
    for registered in all_rules():
        for key in (registered.code, registered.name):
            if key.lower().startswith(typed):
                found.append((key, registered.summary))
    return found


@guard
def rules(
    code_or_name: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE-or-NAME]",
            help="One rule (code such as CAS101, or name such as orphan-goal): its full text.",
            show_default=False,
            autocompletion=complete_rule,
        ),
    ] = None,
    output_format: ReportFormatOpt = ReportFormat.text,
    output: OutputOpt = None,
    as_of: IgnoredAsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: Annotated[bool, quiet_option("No closing line after the list of rules.")] = False,
    version: VersionOpt = False,
) -> None:
    """List every rule (code, name, default severity, what it catches), or explain one.

    Example: cascade rules

    Example: cascade rules orphan-goal
    """
    from cascade.rules import all_rules, markdown_table
    from cascade.session import Protected, use_color, write_output

    color = output is None and use_color(no_color)
    if code_or_name is not None:
        found = lookup(code_or_name)
        if output_format is ReportFormat.json:
            text = json.dumps(_as_json(found), indent=2, ensure_ascii=False) + "\n"
        elif output_format is ReportFormat.markdown:
            text = _markdown(found)
        else:
            text = _explain(found, color)
    elif output_format is ReportFormat.json:
        text = json.dumps([_as_json(r) for r in all_rules()], indent=2, ensure_ascii=False)
        text += "\n"
    elif output_format is ReportFormat.markdown:
        text = markdown_table()
    else:
        text = _listing(all_rules(), color, quiet)
    write_output(text, output, protect=Protected.around_here() if output else None)


def lookup(code_or_name: str) -> Rule:
    """The rule with this code or name; else a one-line error with the nearest one."""
    import difflib

    from cascade.errors import CascadeError
    from cascade.rules import all_rules, find_rule

    found = find_rule(code_or_name)
    if found is not None:
        return found
    keys = [r.code for r in all_rules()] + [r.name for r in all_rules()]
    near = difflib.get_close_matches(code_or_name.strip(), keys, n=1, cutoff=0.6)
    if not near:
        near = difflib.get_close_matches(code_or_name.strip().upper(), keys, n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else "; `cascade rules` lists them all"
    raise CascadeError(f"unknown rule {code_or_name!r}{hint}")


def _style(text: str, sgr: str, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color else text


_SEVERITY_SGR = {"error": "31", "warning": "33", "info": "36"}


def _listing(rules: list[Rule], color: bool, quiet: bool) -> str:
    name_width = max((len(r.name) for r in rules), default=4)
    lines = []
    for registered in rules:
        severity = registered.severity.value
        padded = _style(f"{severity:<7}", _SEVERITY_SGR[severity], color)
        lines.append(
            f"{_style(registered.code, '1', color)}  {registered.name:<{name_width}}  "
            f"{padded}  {registered.summary}"
        )
    if not quiet:
        lines.append("")
        lines.append(
            f"{len(rules)} rules. `cascade rules CODE-or-NAME` explains one; "
            "`waive:` on a goal switches a gap rule (CAS1xx) off for that goal."
        )
    return "".join(f"{line}\n" for line in lines)


def _explain(registered: Rule, color: bool) -> str:
    waivable = (
        "yes, per goal with `waive:`"
        if registered.gap
        else "no: an error in the plan is fixed, not waived"
    )
    return (
        f"{_style(f'{registered.code} {registered.name}', '1', color)}\n"
        f"default severity: {registered.severity.value}; can be waived: {waivable}\n"
        f"fires when {registered.summary}\n\n"
        f"{registered.doc}\n"
    )


def _markdown(registered: Rule) -> str:
    return (
        f"## {registered.code} {registered.name}\n\n"
        f"Default severity: {registered.severity.value}. Fires when {registered.summary}.\n\n"
        f"{registered.doc}\n"
    )


def _as_json(registered: Rule) -> dict[str, object]:
    return {
        "code": registered.code,
        "name": registered.name,
        "severity": registered.severity.value,
        "summary": registered.summary,
        "waivable": registered.gap,
        "doc": registered.doc,
    }
