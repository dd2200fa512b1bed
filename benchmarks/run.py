"""Measure cascade against the naive baseline B, side by side, each run in a fresh process.

B is `yaml.load(f, Loader=yaml.CSafeLoader)` over every file of the plan: what any tool
that reads the plan has to pay at least once. Every figure is the median of several runs,
also given as a ratio to B, with the peak memory (max RSS) of the process.

    python benchmarks/run.py                       # the 1,000 and 10,000-person plans
    python benchmarks/run.py --people 100000 --repeat 1
    python benchmarks/run.py --ablation            # each speed mechanism off in turn
    python benchmarks/run.py --history --people 1000   # diff and log on a git history
    python benchmarks/run.py --against ../old      # beside another checkout's code

Plans are generated (deterministically) into benchmarks/data/, which git ignores.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AS_OF = "2026-11-15"

BASELINE = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for path in sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml")):
    with open(path, encoding="utf-8") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""


BASE = "B: yaml.load (CSafeLoader), every file"
AGAINST = " [against]"  # the label's ending for a measurement of the --against checkout


@dataclass
class Case:
    """One measurement: its command (or a function of the round giving it), what to do
    before each run, and its environment."""

    label: str
    argv: list[str] | Callable[[int], list[str]]
    before: Callable[[int], None] | None = None
    env: dict[str, str] | None = None
    cwd: Path | None = None


@dataclass
class Row:
    label: str
    seconds: float | None  # median wall time; None when the command does not exist
    peak_mb: float
    note: str = ""


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB, exit code and stderr of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return elapsed, peak, process.returncode, errors


class Bench:
    """One plan size: its folder, the environment, and the measurements taken so far."""

    def __init__(
        self, people: int, repeat: int, data: Path, skip: set[str], against: Path | None = None
    ) -> None:
        self.people = people
        self.against = against  # another checkout whose code is measured beside this one
        self.skip = skip
        self.repeat = repeat
        self.folder = data / str(people)
        self.plans = self.folder / "plans"
        self.cache = self.folder / "cache"
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(
            [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        self.env.pop("CASCADE_CACHE_DIR", None)
        # Measure cascade as installed: compiled once, not from source on every start.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["NO_COLOR"] = "1"
        self.rows: list[Row] = []

    def cascade(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "cascade", *args]

    def measure(self, cases: list[Case]) -> None:
        """Every case once per round, round after round: all of them see the same machine
        (a shared machine's speed drifts), and each round leaves the cache as the next
        case expects it."""
        times: dict[str, list[float]] = {case.label: [] for case in cases}
        peaks: dict[str, float] = dict.fromkeys(times, 0.0)
        notes: dict[str, str] = {}
        for case in cases:
            if any(word in self.skip for word in case.label.split()):
                notes[case.label] = "skipped"
        for round_ in range(self.repeat):
            for case in cases:
                if case.label in notes:
                    continue
                if case.before is not None:
                    case.before(round_)
                argv = case.argv(round_) if callable(case.argv) else case.argv
                folder = case.cwd or self.folder
                elapsed, mb, code, errors = run_once(argv, folder, case.env or self.env)
                if code not in (0, 1):
                    if "No such command" in errors or "No such option" in errors:
                        notes[case.label] = "not available"
                        continue
                    raise SystemExit(f"{case.label}: exit {code}\n{errors}")
                times[case.label].append(elapsed)
                peaks[case.label] = max(peaks[case.label], mb)
                print(f"  {case.label:<44} {elapsed:8.3f} s {mb:8.0f} MB", file=sys.stderr)
        for case in cases:
            if case.label in notes:
                self.rows.append(Row(case.label, None, 0.0, notes[case.label]))
            else:
                median = statistics.median(times[case.label])
                self.rows.append(Row(case.label, median, peaks[case.label]))

    def prepare(self) -> None:
        """Generate the plan unless the same generator already wrote it."""
        generator = (HERE / "generate.py").read_bytes()
        stamp = self.folder / "generator.sha256"
        digest = hashlib.sha256(generator + str(self.people).encode()).hexdigest()
        if not (stamp.exists() and stamp.read_text() == digest and self.plans.exists()):
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(self.people), str(self.folder)],
                check=True,
            )
            stamp.write_text(digest)

    def files(self) -> list[Path]:
        return sorted(p for p in self.plans.rglob("*") if p.suffix in (".yaml", ".yml"))

    def ablation(self) -> None:
        """Cold runs with each mechanism of `cascade.speed` off in turn (CASCADE_OFF), in
        the same rounds as B and as everything on: what each mechanism buys."""
        sys.path.insert(0, str(REPO / "src"))
        from cascade.speed import ENV, MECHANISMS

        self.prepare()
        files = self.files()
        size = sum(p.stat().st_size for p in files)
        print(f"{self.people} people: {len(files)} files, {size / 1e6:.1f} MB", file=sys.stderr)
        commands = {
            "validate --no-cache": self.cascade(
                "validate", "plans", "--as-of", AS_OF, "--no-cache"
            ),
            "gaps --no-cache": self.cascade("gaps", "plans", "--as-of", AS_OF, "--no-cache"),
        }
        cases = [Case(BASE, [sys.executable, "-c", BASELINE, str(self.plans)])]
        for name, argv in commands.items():
            cases.append(Case(f"{name}, everything on", argv))
            for mechanism in MECHANISMS:
                cases.append(
                    Case(f"{name}, {mechanism} off", argv, env={**self.env, ENV: mechanism})
                )
        self.measure(cases)
        base = next(row.seconds for row in self.rows if row.label == BASE)
        print(self.table(base or 1.0, len(files), size))

    def run(self) -> None:
        self.prepare()
        files = self.files()
        size = sum(p.stat().st_size for p in files)
        print(f"{self.people} people: {len(files)} files, {size / 1e6:.1f} MB", file=sys.stderr)
        cases = [
            Case("python -c pass", [sys.executable, "-c", "pass"]),
            Case('python -c "import yaml"', [sys.executable, "-c", "import yaml"]),
            Case(BASE, [sys.executable, "-c", BASELINE, str(self.plans)]),
        ]
        # One team file edited: each round sees content the cache has never seen.
        target = files[len(files) // 2]
        original = target.read_bytes()
        cases.extend(self.commands(self.env, self.cache, "", target, original))
        if self.against is not None:
            # The same commands from another checkout's code, in the same rounds, with a
            # cache of their own: a before-and-after that one machine's drift cannot skew.
            env = {**self.env, "PYTHONPATH": str(self.against / "src")}
            against = self.folder / "cache-against"
            cases.extend(self.commands(env, against, AGAINST, target, original))
        try:
            self.measure(cases)
        finally:
            target.write_bytes(original)
        base = next(row.seconds for row in self.rows if row.label == BASE)
        print(self.table(base or 1.0, len(files), size))

    def commands(
        self, env: dict[str, str], cache: Path, suffix: str, target: Path, original: bytes
    ) -> list[Case]:
        """cascade's measurements with the code `env` imports and its cache in `cache`, in
        an order that leaves the cache as each one expects it; `target` is the file edited
        (`original` its bytes)."""
        validate = ("validate", "plans", "--as-of", AS_OF)
        cached = {**env, "CASCADE_CACHE_DIR": str(cache)}

        def empty_cache(_: int) -> None:
            shutil.rmtree(cache, ignore_errors=True)

        def edit(round_: int) -> None:
            target.write_bytes(original + f"# edit {time.time_ns()} {round_}\n".encode())

        def other_day(round_: int) -> list[str]:
            # Same files, another date: the run is new, every file is read again.
            return self.cascade("validate", "plans", "--as-of", f"2026-11-{16 + round_:02d}")

        def restore(_: int) -> None:
            target.write_bytes(original)
            empty_cache(0)

        gaps = self.cascade("gaps", "plans", "--as-of", AS_OF)
        html = ("--format", "html", "-o", "map.html")
        cases = [
            Case("cascade --version", self.cascade("--version"), env=env),
            Case("validate --no-cache", self.cascade(*validate, "--no-cache"), env=env),
            Case("validate cold (empty cache, writes it)", self.cascade(*validate), empty_cache),
            Case("validate warm (nothing changed)", self.cascade(*validate)),
            Case("validate warm, rules re-run (other --as-of)", other_day),
            Case("validate warm, one file changed", self.cascade(*validate), edit),
            Case("gaps (empty cache)", gaps, restore),
            Case("map --format html (empty cache)", self.cascade("map", *validate[1:], *html)),
        ]
        for case in cases[2:]:
            case.env = cached
        cases[-1].before = empty_cache
        for case in cases:
            case.label += suffix
        return cases

    def repository(self, commits: int) -> Path:
        """A git repository of the plan: the plan committed, then `commits` commits that
        each change one reading in one team file, the team files taken in turn."""
        repo = self.folder / "repo"
        stamp = repo / ".git" / "cascade-bench"
        if stamp.exists() and stamp.read_text() == str(commits):
            return repo
        shutil.rmtree(repo, ignore_errors=True)
        shutil.copytree(self.plans, repo / "plans")
        env = {
            **self.env,
            "GIT_AUTHOR_NAME": "Bench",
            "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench",
            "GIT_COMMITTER_EMAIL": "bench@example.com",
            "GIT_CONFIG_GLOBAL": os.devnull,
        }

        def git(*args: str, date: int = 0) -> None:
            stamp_env = {**env, "GIT_AUTHOR_DATE": f"{1767600000 + date * 3600} +0000"}
            stamp_env["GIT_COMMITTER_DATE"] = stamp_env["GIT_AUTHOR_DATE"]
            subprocess.run(["git", *args], cwd=repo, env=stamp_env, check=True, capture_output=True)

        git("init", "-q", "-b", "main")
        git("add", "-A")
        git("commit", "-q", "-m", "The plan")
        teams = sorted((repo / "plans" / "teams").rglob("*.yaml"))
        for n in range(commits):
            path = teams[n % len(teams)]
            text = path.read_text(encoding="utf-8")
            start = text.index("current: ") + len("current: ")
            end = text.index("\n", start)
            text = f"{text[:start]}{float(text[start:end]) + 0.1:.1f}{text[end:]}"
            path.write_text(text, encoding="utf-8")
            git("commit", "-q", "-am", f"Readings of {path.stem}", date=n + 1)
        stamp.write_text(str(commits))
        return repo

    def history(self) -> None:
        """`diff` of two revisions that differ in one file, of identical revisions, and
        `log` of one KPI over 300 commits, against a cold and a warm `validate`."""
        self.prepare()
        repo = self.repository(300)
        files = self.files()
        size = sum(p.stat().st_size for p in files)
        cached = {**self.env, "CASCADE_CACHE_DIR": str(self.cache)}

        def empty_cache(_: int) -> None:
            shutil.rmtree(self.cache, ignore_errors=True)

        teams = sorted((repo / "plans" / "teams").rglob("*.yaml"))
        # A KPI of the first team file: that file changes every len(teams) commits, so
        # the KPI's log lists 300 / len(teams) commits and the first.
        # The KPI whose reading the commits change: the first `current:` of the file.
        lines = teams[0].read_text().splitlines()
        first = next(n for n, line in enumerate(lines) if "current: " in line)
        goal = next(line for line in reversed(lines[:first]) if line.startswith("      - id: "))
        goal_id = goal.split("- id: ")[1].strip()
        kpi = self.cascade("log", f"{goal_id}.k1")
        validate = self.cascade("validate", "plans", "--as-of", AS_OF)
        cases = [
            Case(BASE, [sys.executable, "-c", BASELINE, str(repo / "plans")]),
            Case("validate cold (empty cache)", validate, empty_cache),
            Case("validate warm (nothing changed)", validate),
            Case(
                "diff HEAD HEAD (identical), warm",
                self.cascade("diff", "HEAD", "HEAD", "--as-of", AS_OF),
            ),
            Case(
                "diff HEAD~1 HEAD (one file differs), empty cache",
                self.cascade("diff", "HEAD~1", "HEAD", "--as-of", AS_OF),
                empty_cache,
            ),
            Case(
                "diff HEAD~1 HEAD (one file differs), warm",
                self.cascade("diff", "HEAD~1", "HEAD", "--as-of", AS_OF),
            ),
            Case(f"log {goal_id}.k1 over 300 commits, empty cache", kpi, empty_cache),
            Case(f"log {goal_id}.k1 over 300 commits, warm", kpi),
        ]
        for case in cases[1:]:
            case.env = cached
            case.cwd = repo
        self.measure(cases)
        base = next(row.seconds for row in self.rows if row.label == BASE)
        print(self.table(base or 1.0, len(files), size))

    def readings(self) -> None:
        """validate, gaps and close cold, on the plan alone and on the plan with a readings
        folder (52 weekly readings of a tenth of its KPIs), round after round."""
        self.prepare()
        files = self.files()
        size = sum(p.stat().st_size for p in files)
        beside = self.folder / "with-readings"
        rows = sum(1 for _ in (beside / "readings" / "weekly.csv").open()) - 1
        print(f"{self.people} people: {len(files)} files, {rows:,} readings", file=sys.stderr)
        commands = {
            "validate --no-cache": ("validate", "--as-of", AS_OF, "--no-cache"),
            "gaps --no-cache": ("gaps", "--as-of", AS_OF, "--no-cache"),
            "close FY2026 --no-cache": ("close", "FY2026", "--as-of", AS_OF, "--no-cache"),
        }
        cases = [Case(BASE, [sys.executable, "-c", BASELINE, str(self.plans)])]
        for name, (command, *rest) in commands.items():
            head = (command, rest[0]) if command == "close" else (command,)
            tail = rest[1:] if command == "close" else rest
            cases.append(Case(f"{name}, plan alone", self.cascade(*head, "plans", *tail)))
            with_readings = Case(
                f"{name}, with {rows:,} readings", self.cascade(*head, "../plans", *tail)
            )
            with_readings.cwd = beside
            cases.append(with_readings)
        self.measure(cases)
        base = next(row.seconds for row in self.rows if row.label == BASE)
        print(self.table(base or 1.0, len(files), size))

    def interchange(self) -> None:
        """`export` of the plan as a workbook and as every CSV table, and `import` of each
        back, against a cold `validate` of the same plan, round after round."""
        self.prepare()
        files = self.files()
        size = sum(p.stat().st_size for p in files)
        common = ("--as-of", AS_OF, "--no-cache")
        cases = [
            Case(BASE, [sys.executable, "-c", BASELINE, str(self.plans)]),
            Case("validate --no-cache", self.cascade("validate", "plans", *common)),
            Case(
                "export -o plan.xlsx --no-cache",
                self.cascade("export", "plans", "-o", "plan.xlsx", *common),
            ),
            Case(
                "export --table all -o tables/ --no-cache",
                self.cascade("export", "plans", "--table", "all", "-o", "tables", *common),
            ),
            # What the two exports above wrote, read back (each round into a new folder).
            Case(
                "import plan.xlsx --into imported/",
                self.cascade("import", "plan.xlsx", "--into", "imported", "--as-of", AS_OF),
                before=self.clear_imported,
            ),
            Case(
                "import tables/ --into imported/",
                self.cascade("import", "tables", "--into", "imported", "--as-of", AS_OF),
                before=self.clear_imported,
            ),
        ]
        self.measure(cases)
        base = next(row.seconds for row in self.rows if row.label == BASE)
        print(self.table(base or 1.0, len(files), size))

    def clear_imported(self, round_: int) -> None:
        del round_
        shutil.rmtree(self.folder / "imported", ignore_errors=True)

    def table(self, base: float, files: int, size: int) -> str:
        lines = [
            f"**{self.people:,} people** ({files:,} files, {size / 1e6:.1f} MB of YAML; "
            f"median of {self.repeat})",
            "",
            "| measurement | wall | x B | peak memory |",
            "|---|---:|---:|---:|",
        ]
        for row in self.rows:
            if row.seconds is None:
                lines.append(f"| {row.label} | {row.note} | | |")
            else:
                lines.append(
                    f"| {row.label} | {row.seconds:.3f} s | {row.seconds / base:.2f} "
                    f"| {row.peak_mb:.0f} MB |"
                )
        return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--people", default="1000,10000", help="comma-separated plan sizes (default: 1000,10000)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where plans go")
    parser.add_argument(
        "--skip", default="", help="comma-separated commands not to measure, e.g. map"
    )
    parser.add_argument(
        "--ablation", action="store_true", help="each speed mechanism off in turn (CASCADE_OFF)"
    )
    parser.add_argument(
        "--history", action="store_true", help="diff and log on a generated git history"
    )
    parser.add_argument(
        "--interchange",
        action="store_true",
        help="export and import (workbook and CSV) against validate",
    )
    parser.add_argument(
        "--readings",
        action="store_true",
        help="validate, gaps and close with and without a readings folder",
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout (a git worktree of an older revision, say) measured beside"
        " this one in the same rounds",
    )
    args = parser.parse_args()
    if args.against is not None and not (args.against / "src" / "cascade").is_dir():
        parser.error(f"--against: {args.against} holds no src/cascade")
    skip = {word for word in args.skip.split(",") if word}
    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs\n")
    # An installed package comes compiled (pip writes the .pyc files); a checkout with
    # PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every run.
    for checkout in (REPO, args.against):
        if checkout is not None:
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(checkout / "src")], check=True
            )
    for people in (int(p) for p in args.people.split(",")):
        bench = Bench(people, args.repeat, args.data, skip, args.against)
        if args.ablation:
            bench.ablation()
        elif args.readings:
            bench.readings()
        elif args.interchange:
            bench.interchange()
        elif args.history:
            bench.history()
        else:
            bench.run()


if __name__ == "__main__":
    main()
