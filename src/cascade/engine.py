"""Run the rules over a loaded plan: select them, apply config severities and waivers, and
turn each finding into a located, sorted `Diagnostic`."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cascade.collector import collector_paused
from cascade.config import Config
from cascade.diagnostics import Diagnostic, Location, Severity, sort_diagnostics
from cascade.errors import CascadeError, ConfigError
from cascade.loader import LoadedPlan
from cascade.model import Origin
from cascade.result import Result, Waived
from cascade.rules import Context, Rule, all_rules, find_rule
from cascade.sources import ReadingsFile

if TYPE_CHECKING:
    from cascade import helper
    from cascade.meter import Meter

__all__ = ["Result", "Selection", "Waived", "resolve_codes", "run"]

# On a big plan the rules that judge progress and KPIs take about half of the rules' time
# (measured at 1,000 and 10,000 people): a helper process runs them beside the others.
# Each such rule declares its turn there (`Rule.helper`); this process may take some from
# the back: the progress rules come first (at-risk is quick once off-track has rolled
# progress up, in the same process), the quick KPI rules last.
Share = tuple[list[Diagnostic], list[Waived]]  # a rule's findings, and those waived
HELPER_MIN_ITEMS = 5_000  # goals and KPIs: below this, forking costs more than it saves
# Above this the child's copy of the memory it touches matters more than the seconds.
HELPER_MAX_ITEMS = 400_000


def resolve_codes(values: Iterable[str], where: str) -> set[str]:
    """Rule codes from codes or names; an unknown one is a one-line error with a hint."""
    codes: set[str] = set()
    for raw in values:
        for value in (v.strip() for v in raw.split(",")):
            if not value:
                continue
            found = find_rule(value)
            if found is None:
                raise CascadeError(f"{where}: {_unknown_rule(value)}")
            codes.add(found.code)
    return codes


def _unknown_rule(value: str) -> str:
    names = [r.code for r in all_rules()] + [r.name for r in all_rules()]
    near = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    hint = f" (hint: did you mean {near[0]!r}?)" if near else " (hint: see `cascade rules`)"
    return f"unknown rule {value!r}{hint}"


def _config_codes(config: Config) -> tuple[set[str], dict[str, Severity]]:
    """The config's `rules.ignore` and `rules.severity` as codes; every unknown rule in
    them is reported at once, at its place in `cascade.yaml`."""
    settings = config.settings.rules
    problems: list[str] = []
    ignored: set[str] = set()
    for index, value in enumerate(settings.ignore):
        found = find_rule(value)
        if found is None:
            problems.append(f"{config.where('rules', 'ignore', index)}: {_unknown_rule(value)}")
        else:
            ignored.add(found.code)
    levels: dict[str, Severity] = {}
    for key, level in settings.severity.items():
        found = find_rule(key)
        if found is None:
            where = config.where("rules", "severity", key, key=True)
            problems.append(f"{where}: {_unknown_rule(key)}")
        else:
            levels[found.code] = Severity(level)
    if problems:
        raise ConfigError(problems)
    return ignored, levels


@dataclass(frozen=True)
class Selection:
    """Which rules run and at what severity: defaults, then config, then the command line."""

    active: frozenset[str]
    severity: dict[str, Severity]

    @classmethod
    def build(
        cls, config: Config, select: Iterable[str] = (), ignore: Iterable[str] = ()
    ) -> Selection:
        rules = all_rules()
        ignored, levels = _config_codes(config)
        active = {r.code for r in rules} - ignored
        selected = resolve_codes(select, "--select")
        if selected:
            active = set(selected)  # the command line overrides the config's ignore list
        active -= resolve_codes(ignore, "--ignore")
        severity = {r.code: r.severity for r in rules} | levels
        return cls(frozenset(active), severity)


def context_for(
    loaded: LoadedPlan,
    config: Config,
    as_of: datetime.date,
    readings: Sequence[ReadingsFile] = (),
) -> Context:
    """What the rules look at: the plan, the config, the date and the readings files, with
    where items stand."""

    def where(origin: Origin | None, path: tuple[Any, ...] = ()) -> Location:
        return loaded.locate(origin, path)

    return Context(loaded.plan, config, as_of, where, readings)


def run(
    loaded: LoadedPlan,
    config: Config,
    as_of: datetime.date,
    selection: Selection | None = None,
    *,
    meter: Meter | None = None,
    context: Context | None = None,
) -> Result:
    """Every active rule over the plan; findings located, waived or kept, and sorted.

    `meter` counts the rules as they run (a progress bar on a long run); `context` is the
    rules' view of the plan when the caller keeps it (else one is made for the run).
    """
    if context is None:
        context = context_for(loaded, config, as_of)
    with collector_paused():
        return _run(loaded, context, selection or Selection.build(config), meter)


def _run(loaded: LoadedPlan, context: Context, selection: Selection, meter: Meter | None) -> Result:
    result = Result()
    # The readings files' own problems are reported like the loader's, whatever their date.
    problems = loaded.diagnostics
    if context.readings_files:
        problems = problems + context.readings.diagnostics
    for diagnostic in problems:
        if diagnostic.rule in selection.active:
            result.diagnostics.append(_with_severity(diagnostic, selection))
    waivers = _waivers(context)
    rules = [r for r in all_rules() if r.check is not None and r.code in selection.active]
    share = _fork_share(rules, loaded, context, selection, waivers)
    mine = [r for r in rules if share is None or r.code not in share.assigned]
    found, waived = _check(mine, loaded, context, selection, waivers, meter)
    if share is not None:
        theirs = [r for r in rules if r.code in share.assigned]
        by_code = {r.code: r for r in theirs}

        def here(code: str) -> Share:
            return _check([by_code[code]], loaded, context, selection, waivers, meter)

        try:
            # A rule that both processes ran counts once (they give the same findings).
            shares = dict(share.drain(here))
        finally:
            share.close()
        for registered in theirs:  # in rule order, whichever process ran them
            found.extend(shares[registered.code][0])
            waived.extend(shares[registered.code][1])
    result.diagnostics = sort_diagnostics(result.diagnostics + found)
    result.waived = sorted(waived, key=lambda w: w.diagnostic.sort_key())
    return result


def _fork_share(
    rules: list[Rule],
    loaded: LoadedPlan,
    context: Context,
    selection: Selection,
    waivers: dict[str, dict[str, str]],
) -> helper.Share[str, Share] | None:
    """A helper process running the progress and KPI rules (their codes, in their turn),
    on a plan big enough to pay for it (and not so big that a second copy of its memory
    would hurt). It sends each rule's findings as soon as it has them; this process takes
    rules back from the end of that list once done with its own."""
    from cascade import helper

    items = len(context.plan.goals()) + len(context.plan.kpis())
    if not HELPER_MIN_ITEMS <= items <= HELPER_MAX_ITEMS or not helper.available():
        return None
    theirs = sorted((r for r in rules if r.helper is not None), key=_helper_turn)
    if not theirs or len(theirs) == len(rules):
        return None
    context.hierarchy  # noqa: B018  (built once, before the fork, for both processes)
    by_code = {r.code: r for r in theirs}

    def compute(code: str) -> Share:
        return _check([by_code[code]], loaded, context, selection, waivers, None)

    return helper.Share.fork([r.code for r in theirs], compute)


def _helper_turn(registered: Rule) -> int:
    return registered.helper if registered.helper is not None else 0


def _check(
    rules: list[Rule],
    loaded: LoadedPlan,
    context: Context,
    selection: Selection,
    waivers: dict[str, dict[str, str]],
    meter: Meter | None,
) -> tuple[list[Diagnostic], list[Waived]]:
    """The located findings of `rules`, and those waived."""
    found: list[Diagnostic] = []
    waived: list[Waived] = []
    for registered in rules:
        assert registered.check is not None
        if meter is not None:
            meter.advance()
        for finding in registered.check(context):
            diagnostic = Diagnostic(
                registered.code,
                registered.name,
                selection.severity[registered.code],
                finding.message,
                finding.at or loaded.locate(finding.origin, finding.path, key=finding.key),
                finding.subject,
                finding.hint,
            )
            reason = _waiver(registered, finding.subject, waivers)
            if reason is not None:
                waived.append(Waived(diagnostic, reason))
            else:
                found.append(diagnostic)
    return found, waived


def _with_severity(diagnostic: Diagnostic, selection: Selection) -> Diagnostic:
    level = selection.severity.get(diagnostic.rule, diagnostic.severity)
    if level is diagnostic.severity:
        return diagnostic
    return Diagnostic(
        diagnostic.rule,
        diagnostic.name,
        level,
        diagnostic.message,
        diagnostic.location,
        diagnostic.subject,
        diagnostic.hint,
    )


def _waivers(context: Context) -> dict[str, dict[str, str]]:
    """Goal id (and each of its KPI ids) -> {rule code: reason}."""
    waivers: dict[str, dict[str, str]] = {}
    for goal in context.plan.goals():
        if not goal.waive:
            continue
        codes: dict[str, str] = {}
        for key, reason in goal.waive.items():
            found = find_rule(key)
            if found is not None and found.gap:
                codes[found.code] = reason
        waivers.setdefault(goal.id, codes)
        for kpi in goal.kpis:
            if kpi.id:
                waivers.setdefault(kpi.id, codes)
    return waivers


def _waiver(
    registered: Rule, subject: str | None, waivers: dict[str, dict[str, str]]
) -> str | None:
    if not registered.gap or subject is None:
        return None
    return waivers.get(subject, {}).get(registered.code)
