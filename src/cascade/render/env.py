"""The jinja2 environment of the maps: where templates are found (the user's --template-dir
first, file by file, then the bundled ones), autoescaping for HTML, and display filters."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cascade.controls import markdown_inline, show_controls
from cascade.errors import CascadeError

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from cascade.render.view import CheckInView

HTML_SUFFIXES = (".html.j2", ".htm.j2", ".html", ".htm", ".svg.j2")
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".md", ".mmd", ".txt")


def bundled_templates() -> Path:
    """The bundled templates: inside the installed package (a wheel puts them at
    `cascade/templates`), else the repository's `templates/` (an editable install)."""
    from importlib.resources import files

    packaged = files("cascade") / "templates"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "templates"
    if checkout.is_dir():
        return checkout
    raise CascadeError("the bundled map templates are missing; reinstall cascade")


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith(HTML_SUFFIXES)


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """Strict (an unknown name is an error, not an empty string) and escaping for HTML."""
    import jinja2

    search: list[str] = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise CascadeError(f"--template-dir: {template_dir} is not a directory")
        search.append(str(template_dir))
    search.append(str(bundled_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )
    env.filters.update(
        pct=percent,
        width=width,
        num=number,
        bar=text_bar,
        md=markdown_inline,
        cell=markdown_cell,
        sparkline=sparkline,
        checkin=checkin_text,
        json_script=json_script,
        initials=initials,
    )
    env.globals["asset"] = lambda name: _asset(env, name)
    return env


def _visible(value: object) -> object:
    """Every value a template writes, with control characters in plan text made visible:
    raw ESC or BEL would drive a terminal showing the Markdown, and break the HTML."""
    if isinstance(value, str):
        shown = show_controls(value)
        if shown is not value:
            from markupsafe import Markup

            return Markup(shown) if isinstance(value, Markup) else shown
    return value


def template_error(exc: Exception) -> CascadeError | None:
    """`template NAME, line N: message`, from a syntax error or from where rendering failed;
    None for an error that no template line raised (a bug of cascade's own)."""
    import jinja2

    name: str | None = None
    line: int | None = None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename or exc.name, exc.lineno
    elif isinstance(exc, jinja2.TemplateNotFound):
        return CascadeError(f"template {exc.name} not found")
    else:
        # Jinja rewrites the traceback so that template frames carry the template's file.
        trace = exc.__traceback__
        while trace is not None:
            filename = trace.tb_frame.f_code.co_filename
            if filename.endswith(TEMPLATE_SUFFIXES):
                name, line = filename, trace.tb_lineno
            trace = trace.tb_next
        if name is None and not isinstance(exc, jinja2.TemplateError):
            return None
    where = "template" if name is None else f"template {Path(name).name}"
    if line is not None:
        where += f", line {line}"
    if isinstance(exc, jinja2.TemplateError):
        message = " ".join(str(exc.message or exc).split())
    else:  # what a template asked of the view failed: a KeyError for an unknown id...
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
    return CascadeError(f"{where}: {message}")


def _asset(env: jinja2.Environment, name: str) -> Markup:
    """A CSS or JS file, found like a template but inserted as it is (not rendered)."""
    from markupsafe import Markup

    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return Markup(source.rstrip("\n"))


def percent(value: float | None, empty: str = "—") -> str:
    """72% (rounded down: 99.6% is not yet 100%), or `empty` when unknown."""
    if value is None:
        return empty
    return f"{math.floor(value * 100 + 1e-9)}%"


def width(value: float | None) -> str:
    """A ratio as a CSS percentage, e.g. `72.5%`."""
    return f"{0 if value is None else round(min(1.0, max(0.0, value)) * 100, 1):g}%"


def number(value: float | None, empty: str = "—") -> str:
    """Plan numbers for people: 6,200 and 96.6, never 6200.0."""
    if value is None:
        return empty
    if isinstance(value, int):
        return f"{value:,}"
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def text_bar(value: float | None, cells: int = 10) -> str:
    """A progress bar in text: `███████░░░`."""
    filled = 0 if value is None else math.floor(min(1.0, max(0.0, value)) * cells + 0.5)
    return "█" * filled + "░" * (cells - filled)


def markdown_cell(value: object) -> str:
    """Like `md`, for a table cell (the pipe is escaped too, as `md` already does)."""
    return markdown_inline(value) if value is not None and value != "" else "—"


def checkin_text(point: CheckInView) -> str:
    """`31 on 2026-11-27 · confidence 80% · by eli · Two deals closed early`."""
    text = f"{number(point.value)} on {point.date}"
    if point.confidence is not None:
        text += f" · confidence {round(point.confidence * 100)}%"
    if point.by:
        text += f" · by {point.by}"
    if point.note:
        text += f" · {point.note}"
    return text


def sparkline(history: list[CheckInView], w: int = 84, h: int = 22) -> Markup:
    """A small inline SVG line of the check-ins; each point's tooltip is its check-in (value,
    date, confidence, who and note: plan text, escaped)."""
    from markupsafe import Markup, escape

    values = [point.value for point in history]
    if len(values) < 2:
        return Markup("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    pad = 2.0
    step = (w - 2 * pad) / (len(values) - 1)
    points = [
        (pad + i * step, pad + (h - 2 * pad) * (1 - (v - low) / span)) for i, v in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    first, last = history[0], history[-1]
    label = escape(
        f"{len(values)} check-ins: {number(first.value)} on {first.date}, {checkin_text(last)}"
    )
    dots = "".join(
        f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>'
        f"{escape(checkin_text(point))}</title></circle>"
        for (x, y), point in zip(points, history, strict=True)
    )
    return Markup(
        f'<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{label}"><title>{label}</title>'
        f'<polyline points="{path}" fill="none" stroke="currentColor" stroke-width="1.5" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.2" fill="currentColor"/>{dots}</svg>'
    )


def json_script(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: `<`, `>`, `&` and the two line
    separators JavaScript dislikes are written as \\u escapes, so no text can end the tag."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)


def initials(name: str | None) -> str:
    """Up to two initials of a person's name, for the small avatar circles."""
    if not name:
        return "?"
    words = [w for w in re.split(r"[\s._-]+", name) if w]
    return "".join(w[0] for w in words[:2]).upper() or "?"
