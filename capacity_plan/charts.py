"""SVG charts of the plan, drawn with matplotlib on the server. The same functions serve the
web pages and the PDF reports. Text is drawn as paths, so labels cannot inject markup."""

import io
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

plt.rcParams.update({"svg.fonttype": "path", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False})

COLOURS = {"on_track": "#198754", "at_risk": "#ffc107", "off_track": "#dc3545", "no_data": "#adb5bd",
           "no_target": "#0d6efd"}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def indicator_trend_svg(*, name: str, periods: list[str], values: list[Decimal | None], target: Decimal | None,
                        unit: str = "") -> str:
    """A line of the indicator's value in each bimonthly period, with its target."""
    figure, axes = plt.subplots(figsize=(4.2, 2.2))
    points = [(index, float(value)) for index, value in enumerate(values) if value is not None]
    if points:
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#0d6efd")
    if target is not None:
        axes.axhline(float(target), linestyle="--", color="#6c757d", linewidth=1)
        label = _("meta %(target)s") % {"target": f"{target.normalize():f}{unit}"}
        axes.annotate(label, xy=(len(periods) - 1, float(target)), ha="right", va="bottom", fontsize=8,
                      color="#6c757d")
    axes.set_xticks(range(len(periods)), periods, rotation=0, fontsize=7)
    axes.set_xlim(-0.3, len(periods) - 0.7)
    axes.set_title(_short(name, 60), fontsize=9, loc="left")
    if not points:
        axes.text(0.5, 0.5, _("sin datos"), transform=axes.transAxes, ha="center", color="#6c757d")
    return _svg(figure)


def reach_svg(*, labels: list[str], reached: list[int], targets: list[int | None]) -> str:
    """Servants reached per hito against the hito's target audience."""
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(labels) + 0.8))
    positions = range(len(labels))
    axes.barh(positions, [target or 0 for target in targets], color="#e9ecef", label=_("público objetivo"))
    axes.barh(positions, reached, color="#0d6efd", height=0.5, label=_("servidores alcanzados"))
    axes.set_yticks(list(positions), [_short(label) for label in labels])
    axes.invert_yaxis()
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    return _svg(figure)
