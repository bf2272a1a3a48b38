"""SVG charts of the plan, drawn with matplotlib on the server. The same functions serve the
web pages and the PDF reports. Text is drawn as paths, so labels cannot inject markup."""

import functools
import hashlib
import io
import re
import textwrap
import uuid
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from core.formats import number_text  # noqa: E402

plt.rcParams.update({"svg.fonttype": "path", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False})

CHART_CACHE_SECONDS = 24 * 60 * 60

COLOURS = {
    "on_track": "#198754",
    "at_risk": "#ffc107",
    "off_track": "#dc3545",
    "no_data": "#adb5bd",
    "no_target": "#0d6efd",
}


def cached_chart(function):
    """Charts are pure functions of their data: keep each drawn SVG in Django's cache, keyed by
    the function, the language and a hash of the arguments, so a page shown again does not
    draw again (matplotlib takes tens of milliseconds per chart). New data, new key."""

    @functools.wraps(function)
    def wrapper(**kwargs):
        digest = hashlib.sha256(repr(sorted(kwargs.items())).encode()).hexdigest()
        key = f"chart:{function.__name__}:{get_language()}:{digest}"
        svg = cache.get(key)
        if svg is None:
            svg = function(**kwargs)
            cache.set(key, svg, CHART_CACHE_SECONDS)
        return svg

    return wrapper


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return _inline(text[text.index("<svg") :])


ROOT_STYLE = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'


def _inline(svg: str) -> str:
    """Make matplotlib's SVG fit for inlining, many to a page or PDF:
    - drop the metadata and the comments (which repeat each label's text);
    - prefix the ids it numbers per figure ("xtick_1", glyph and clip-path ids) so charts do not
      collide;
    - turn `style="fill: …; stroke: …"` and the root <style> into presentation attributes, which
      HTML renderers (WeasyPrint) do not mistake for the page's CSS and draw much faster."""
    svg = re.sub(r"<metadata>.*?</metadata>|<!--.*?-->", "", svg, flags=re.S)
    prefix = f"c{uuid.uuid4().hex[:8]}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda match: f'id="{prefix}{match[1]}"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', lambda match: f"{match[1]}{prefix}{match[2]}", svg)
    svg = re.sub(r'\sstyle="([^"]*)"', lambda match: _attributes(match[1]), svg)
    if ROOT_STYLE in svg:
        svg = svg.replace(ROOT_STYLE, "").replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return svg


def _attributes(style: str) -> str:
    pairs = (declaration.split(":", 1) for declaration in style.split(";") if ":" in declaration)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


@cached_chart
def indicator_trend_svg(
    *,
    name: str,
    periods: list[str],
    values: list[Decimal | None],
    target: Decimal | None,
    unit: str = "",
    show_title: bool = True,
    wide: bool = False,
) -> str:
    """A line of the indicator's value in each bimonthly period, with its target. Without the
    title when the page already names the indicator beside the chart; `wide` for a chart that
    takes a printed page's whole width (the monitoring report), its text still legible there."""
    figure, axes = plt.subplots(figsize=(7.2, 2.4) if wide else (4.2, 2.2))
    points = [(index, float(value)) for index, value in enumerate(values) if value is not None]
    if points:
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#0d6efd")
    if target is not None:
        axes.axhline(float(target), linestyle="--", color="#6c757d", linewidth=1)
        label = _("meta %(target)s") % {"target": number_text(target, places=2) + unit}
        axes.annotate(label, xy=(len(periods) - 1, float(target)), ha="right", va="bottom", fontsize=8, color="#6c757d")
    highest = max([point[1] for point in points] + ([float(target)] if target is not None else []), default=0)
    if highest > 0 and min((point[1] for point in points), default=0) >= 0:
        axes.set_ylim(0, highest * 1.15)  # from zero, with the target in view
    elif highest == 0:
        axes.set_ylim(0, 1)
    axes.set_xticks(range(len(periods)), periods, rotation=0, fontsize=8 if wide else 7)
    axes.set_xlim(-0.3, len(periods) - 0.7)
    if show_title:
        axes.set_title(_short(name, 60), fontsize=9, loc="left")
    if not points:
        axes.text(0.5, 0.5, _("sin datos"), transform=axes.transAxes, ha="center", color="#6c757d")
    return _svg(figure)


@cached_chart
def reach_svg(*, labels: list[str], reached: list[int], targets: list[int | None], wrap: int | None = None) -> str:
    """Servants reached per hito against the hito's target audience. Labels are cut at 38
    characters, or with `wrap` shown whole on lines of at most that many characters."""
    shown = [textwrap.fill(label, wrap) for label in labels] if wrap else [_short(label) for label in labels]
    lines = sum(label.count("\n") + 1 for label in shown)
    height = 0.18 * lines + 0.2 * len(labels) + 0.8 if wrap else 0.35 * len(labels) + 0.8
    figure, axes = plt.subplots(figsize=(7.2 if wrap else 7, height))
    positions = range(len(labels))
    axes.barh(positions, [target or 0 for target in targets], color="#e9ecef", label=_("público objetivo"))
    axes.barh(positions, reached, color="#0d6efd", height=0.5, label=_("servidores alcanzados"))
    axes.set_yticks(list(positions), shown, fontsize=8 if wrap else None)
    axes.invert_yaxis()
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    return _svg(figure)


# Training actions by status, in the order and colours every chart and table uses.
STATUS_SERIES = (("executed", "#198754"), ("rescheduled", "#ffc107"), ("cancelled", "#dc3545"), ("pending", "#adb5bd"))


def status_series_labels() -> dict[str, str]:
    return {
        "executed": _("Ejecutadas"),
        "rescheduled": _("Reprogramadas"),
        "cancelled": _("Canceladas"),
        "pending": _("Pendientes"),
    }


def _float(value) -> float | None:
    """Decimal, str (as stored in report snapshots) or None → float or None."""
    return None if value is None or value == "" else float(value)


def _empty(text: str) -> str:
    figure, axes = plt.subplots(figsize=(7, 0.8))
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", color="#6c757d")
    axes.set_axis_off()
    return _svg(figure)


GROUPED_BARS_MAX_ROWS = 12  # beyond this, grouped bars would not fit an A4 page


@cached_chart
def actions_by_status_svg(*, rows: list[dict], stacked: bool = False) -> str:
    """Training actions by status for each row (UO, region…), as grouped bars or stacked ones
    (when asked, or for more than GROUPED_BARS_MAX_ROWS rows). A row: {"label", "executed",
    "rescheduled", "cancelled", "pending"}; rows without actions are left out."""
    labels = status_series_labels()
    rows = [row for row in rows if any(int(row[key]) for key, _colour in STATUS_SERIES)]
    if not rows:
        return _empty(_("Sin acciones formativas en el periodo"))
    stacked = stacked or len(rows) > GROUPED_BARS_MAX_ROWS
    per_row = 0.34 if stacked else 0.5
    figure, axes = plt.subplots(figsize=(7, per_row * len(rows) + 0.9))
    positions = list(range(len(rows)))
    left = [0] * len(rows)
    width = 0.8 / len(STATUS_SERIES)
    for index, (key, colour) in enumerate(STATUS_SERIES):
        values = [int(row[key]) for row in rows]
        if stacked:
            axes.barh(positions, values, left=left, height=0.6, color=colour, label=labels[key])
            left = [start + value for start, value in zip(left, values, strict=True)]
        else:
            bars = axes.barh(
                [position - 0.4 + width * (index + 0.5) for position in positions],
                values,
                height=width,
                color=colour,
                label=labels[key],
            )
            axes.bar_label(bars, labels=[str(value) if value else "" for value in values], padding=2, fontsize=7)
    if stacked:
        for position, total in zip(positions, left, strict=True):
            axes.annotate(
                str(total), xy=(total, position), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7
            )
    axes.set_yticks(positions, [_short(str(row["label"])) for row in rows])
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.margins(x=0.08)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(STATUS_SERIES), fontsize=8, frameon=False)
    return _svg(figure)


@cached_chart
def participation_svg(*, rows: list[dict]) -> str:
    """Attendance rate (%) and satisfaction average (1 to 5) side by side for each row (kind of
    action, region…). A row: {"label", "records", "attendance_rate", "responses", "satisfaction"};
    rows with neither attendance nor answers are left out."""
    rows = [row for row in rows if int(row["records"]) or int(row["responses"])]
    if not rows:
        return _empty(_("Sin registros de asistencia ni encuestas en el periodo"))
    figure, (attendance, satisfaction) = plt.subplots(
        1, 2, sharey=True, figsize=(7, 0.3 * len(rows) + 0.9), gridspec_kw={"width_ratios": [3, 2]}
    )
    positions = list(range(len(rows)))
    for axes, key, colour, limit, unit, title in (
        (attendance, "attendance_rate", "#0d6efd", 100, "%", _("Asistencia (%)")),
        (satisfaction, "satisfaction", "#6f42c1", 5, "", _("Satisfacción (1 a 5)")),
    ):
        values = [_float(row[key]) for row in rows]
        bars = axes.barh(positions, [value or 0 for value in values], height=0.6, color=colour)
        axes.bar_label(
            bars,
            labels=[_("s/d") if value is None else number_text(value) + unit for value in values],
            padding=2,
            fontsize=7,
        )
        axes.set_xlim(0, limit * 1.15)
        axes.set_xticks([limit * step / 5 for step in range(6)] if limit == 100 else list(range(6)))
        axes.set_title(title, fontsize=9, loc="left")
    attendance.set_yticks(positions, [_short(str(row["label"])) for row in rows])
    attendance.set_ylim(len(rows) - 0.5, -0.5)
    return _svg(figure)
