"""One plotting style for every figure: colour-blind-safe, readable on a phone, deterministic.

Colours come from the Okabe-Ito palette, and every series also gets its own line style,
so figures survive greyscale printing and colour-vision deficiencies. Each activation
keeps one colour across the whole site.
"""

import functools
import os

import matplotlib
import numpy as np

# Figure scripts draw off-screen, unless the environment chose a backend (Jupyter does:
# notebooks show their plots inline).
if not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def share_mathtext_parses() -> None:
    """Parse each formula once per process, not once per renderer.

    Matplotlib keeps its mathtext parses in a cache keyed by the parser, and every
    renderer (each savefig, each layout pass) makes a new parser; so a tick label such as
    10^{-4} was parsed again for every figure, desktop and phone alike: 13 s of a 100 s
    `make figures` (matplotlib issue 20821). Here the parses of one output type (paths or
    pixels) share one cache, keyed as matplotlib keys it (formula, dpi, font, antialiasing,
    hinting), so every figure is byte for byte what it was.
    """
    from matplotlib import mathtext

    parse = getattr(mathtext.MathTextParser._parse_cached, "__wrapped__", None)
    if parse is None or getattr(mathtext.MathTextParser, "_shared_parses", False):
        return  # a matplotlib that caches another way, or already shared
    parsers = {}

    @functools.lru_cache(maxsize=4096)
    def shared(output_type, *key):
        return parse(parsers[output_type], *key)

    def parse_cached(self, *key):
        parsers.setdefault(self._output_type, self)
        return shared(self._output_type, *key)

    mathtext.MathTextParser._parse_cached = parse_cached
    mathtext.MathTextParser._shared_parses = True


share_mathtext_parses()


OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

ACTIVATION_COLOURS = {
    "sigmoid": OKABE_ITO["vermillion"],
    "tanh": OKABE_ITO["orange"],
    "relu": OKABE_ITO["blue"],
    "leaky_relu": OKABE_ITO["sky_blue"],
    "elu": OKABE_ITO["green"],
    "gelu": OKABE_ITO["purple"],
}

ACTIVATION_LINESTYLES = {
    "sigmoid": "-",
    "tanh": "--",
    "relu": "-.",
    "leaky_relu": ":",
    "elu": (0, (5, 1)),
    "gelu": (0, (3, 1, 1, 1, 1, 1)),
}

RC_PARAMS = {
    # Determinism: fixed ids inside the SVG, no timestamps (see save in outputs.py).
    "svg.hashsalt": "vanishing-gradients",
    # Glyphs as shared paths: the figure looks the same on every device. (With "none",
    # mathtext primes come out in cmsy10, which browsers lack, and show as a "0".)
    "svg.fonttype": "path",
    "font.family": "sans-serif",
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "lines.linewidth": 2.2,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.figsize": (6.4, 4.0),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.08,
}


def apply() -> None:
    """Reset matplotlib to the site style (call at the start of every figure)."""
    plt.rcdefaults()
    plt.rcParams.update(RC_PARAMS)


def notebook() -> None:
    """Inline plots in a Jupyter notebook: the site style, as sharp SVG without a date."""
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", metadata={"Date": None})
    apply()


def figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """A new figure in the site style.

    Figures are 6.4 inches wide whatever the number of panels: on a phone a figure
    shrinks to about 350 px, and 12-point text in a wider figure becomes unreadable.
    Prefer stacking panels (nrows) to placing them side by side (ncols).
    """
    apply()
    kwargs.setdefault("figsize", (6.4, 3.6 * nrows if nrows > 1 else 4.0))
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)


def band(ax, x, samples, colour, label=None, linestyle="-", alpha=0.2, log=False):
    """Plot the median over seeds as a line and the min-max range as a shaded band.

    `samples` is shaped (seeds, len(x)). With log=True the median is taken of the
    logarithms, which is what a log-scale axis shows.
    """
    import numpy as np

    samples = np.asarray(samples)
    middle = np.exp(np.median(np.log(samples), axis=0)) if log else np.median(samples, axis=0)
    ax.fill_between(x, samples.min(axis=0), samples.max(axis=0), color=colour, alpha=alpha, linewidth=0)
    return ax.plot(x, middle, color=colour, linestyle=linestyle, label=label)[0]


# ---- Numbers drawn on diagrams -------------------------------------------------------

def number_text(value: float, digits: int = 2, sign: bool = False) -> str:
    """A number as a diagram prints it: 0.043, 1.2, 38, or 4.3 x 10^-5 (mathtext) when tiny;
    with sign=True, positive numbers get a "+" (for "1+0.25")."""
    value = float(value)
    if sign:
        return ("+" if value >= 0 else "\u2212") + number_text(abs(value), digits)
    if digits == 0:
        return f"{value:.0f}"
    if value != 0 and abs(value) < 1e-3:
        exponent = int(np.floor(np.log10(abs(value))))
        mantissa = value / 10**exponent
        if round(abs(mantissa), digits - 1) >= 10:
            mantissa, exponent = mantissa / 10, exponent + 1
        return f"${mantissa:.{digits - 1}f}\\times10^{{{exponent}}}$"
    if value == 0:
        text = "0"
    elif abs(value) >= 10 ** (digits - 1):
        text = f"{value:.0f}"
    elif abs(value) >= 1:
        text = f"{value:.{digits}g}"
    else:  # digits significant figures after the leading zeros
        text = f"{value:.{digits - 1 - int(np.floor(np.log10(abs(value))))}f}"
    return text.replace("-", "\u2212")


class Labels:
    """Numbers drawn on a diagram, each in its own SVG group (its gid), kept for the data file.

    `values` maps each gid to the number drawn there; the script writes it into its data
    JSON under "drawn", and a test reads the text back out of the SVG (vanishing.svgtext)
    and checks that it shows that number.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.values: dict[str, float] = {}

    def text(self, ax, x, y, value, template="{}", key="", digits=2, sign=False, decimals=None, **kwargs):
        gid = f"{self.prefix}-{key}"
        if gid in self.values:
            raise ValueError(f"label {gid} drawn twice")
        self.values[gid] = float(value)
        shown = f"{value:.{decimals}f}".replace("-", "\u2212") if decimals is not None else number_text(value, digits, sign)
        return ax.text(x, y, template.format(shown), gid=gid, **kwargs)


# ---- Phone variants -------------------------------------------------------------------
# A 6.4-inch figure shrinks to about 345 CSS px on a 390 px phone, so 11-point tick labels
# render at 8 px and the exponents of log-axis labels (drawn at 70 %) at 6 px. The phone
# variant of a figure is the same figure on a narrower canvas with type at least as big:
# at 345 px, a 3.6-inch figure scales type by 345 / 259 = 1.33, so 10.5-point text renders
# at 14 px and the 13-point labels of a log axis put their exponents at 12 px.
# Pages serve it to narrow screens through <picture> (hooks/figure_pages.py).
# Layout passes below call `draw(fig)`: constrained layout and text sizes without
# rasterizing a bitmap nobody saves. A layout pass costs about half a save, so `phone`
# ends on a pass of the finished figure and the save keeps that layout (`laid_out`)
# instead of computing it again: figure time in `make figures` 31 -> 26 s (one core).
# That layout measures text as the bitmap renderer does, within a point of the SVG
# writer's measure (the phone SVGs came out up to 1 pt narrower).

PHONE_WIDTH = 3.6           # inches
PHONE_HEIGHT = 0.85         # times the desktop height (the canvas is narrower, keep it tall)
PHONE_TEXT = 10.5           # points: the smallest text on the phone variant
PHONE_SCRIPT_TEXT = 13.0    # points: text carrying superscripts (log-axis labels, 10^{-9})
PHONE_MEDIA = "(max-width: 44.9375em)"  # Material's tablet breakpoint (719 px)
PHONE_DISPLAY_PX = 340      # how wide a figure is shown on a 390 px phone (measured: 345 CSS px)
PHONE_MIN_PX = 11.5         # the smallest text there, in CSS px (tests require 11)


def phone_text_px(svg_text: str) -> float:
    """The smallest text of a phone SVG, in CSS px, when shown PHONE_DISPLAY_PX wide."""
    from . import svgtext

    return svgtext.smallest_text(svg_text) * PHONE_DISPLAY_PX / svgtext.view_box(svg_text)[0]


def raise_small_text(fig, scale: float) -> None:
    """Raise every text that would show below PHONE_MIN_PX to that size; leave the rest.

    `scale` is CSS px per point as the figure is shown on a phone (PHONE_DISPLAY_PX over
    the width of the saved SVG). Sub- and superscripts are drawn at 70 %.
    """
    from matplotlib import text as mtext

    def floor(has_script: bool) -> float:
        return 1.03 * PHONE_MIN_PX / scale / (0.7 if has_script else 1.0)

    for ax in fig.axes:
        for axis, which in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            labels = axis.get_ticklabels()
            if labels:
                needed = floor(axis.get_scale() == "log" or any(_has_superscript(t) for t in labels))
                if labels[0].get_fontsize() < needed:
                    ax.tick_params(axis=which, labelsize=needed)
    for text in fig.findobj(mtext.Text):
        needed = floor(_has_superscript(text))
        if text.get_text() and text.get_fontsize() < needed:
            text.set_fontsize(needed)
    draw(fig)
    wrap_long_texts(fig)
    place_legends(fig)


def _has_superscript(text) -> bool:
    """Whether a text has mathtext sub- or superscripts, which are drawn smaller."""
    content = text.get_text()
    return "$" in content and any(mark in content for mark in ("^", "_", "'"))  # ' is a superscript prime


def phone(fig, extra=None):
    """Turn a finished desktop figure into its phone variant, in place, and return it.

    Narrower canvas, every text at least PHONE_TEXT points (PHONE_SCRIPT_TEXT where it
    has superscripts), tick labels of log axes at PHONE_SCRIPT_TEXT, titles wrapped to
    the canvas, and a legend that would cover data moved below its axes. `extra(fig)`
    makes a figure's own adjustments last.
    """
    from matplotlib import text as mtext

    width, height = fig.get_size_inches()
    fig.set_size_inches(PHONE_WIDTH, height * PHONE_HEIGHT)
    for ax in fig.axes:
        for axis, which in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            log = axis.get_scale() == "log"
            size = axis.get_ticklabels()[0].get_fontsize() if axis.get_ticklabels() else PHONE_TEXT
            ax.tick_params(axis=which, labelsize=max(size, PHONE_SCRIPT_TEXT if log else PHONE_TEXT))
    for text in fig.findobj(mtext.Text):
        floor = PHONE_SCRIPT_TEXT if _has_superscript(text) else PHONE_TEXT
        if text.get_text() and text.get_fontsize() < floor:
            text.set_fontsize(floor)
    for ax in fig.axes:  # a legend in several columns may not fit the narrow canvas
        legend = ax.get_legend()
        if legend is not None and legend._ncols > 1:
            one_column(ax, legend)
    for legend in list(fig.legends):  # a figure legend in several columns: one column, below
        if legend._ncols > 1:
            texts = legend.get_texts()
            legend.remove()
            fig.legend(legend.legend_handles, [t.get_text() for t in texts], loc="outside lower center", ncols=1,
                       fontsize=texts[0].get_fontsize() if texts else None)
    draw(fig)
    wrap_long_texts(fig)
    place_legends(fig)
    for _ in range(4):  # legends moved under stacked axes need height: grow until they fit
        if not collapsed_at_last_draw(fig):
            break
        fig.set_size_inches(PHONE_WIDTH, fig.get_size_inches()[1] * 1.3)
        draw(fig)
        place_legends(fig)
    lift_titles(fig)  # last: the ticks of a log axis change with its height
    if extra is not None:
        extra(fig)
        draw(fig)
    return fig  # laid out as it is now: its last draw was of this state


def draw(fig) -> None:
    """Lay the figure out and measure its texts, without rasterizing a bitmap nobody saves;
    remember whether constrained layout gave up (`collapsed_at_last_draw`), so that no
    second pass is needed to ask."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.draw_without_rendering()
    fig._collapse_warning = collapse_warning(caught)
    for warning in caught:
        if str(warning.message) != fig._collapse_warning:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def collapsed_at_last_draw(fig) -> str | None:
    """The "constrained layout collapsed" message of the figure's last `draw`, if it had one."""
    return getattr(fig, "_collapse_warning", None)


def collapse_warning(caught) -> str | None:
    """The message of matplotlib's "constrained layout collapsed" warning among `caught`."""
    return next((str(w.message) for w in caught if "collapsed" in str(w.message)), None)


def place_legends(fig) -> None:
    """Move every legend that covers data or labels under its axes, again if it is there
    already (a label wrapped since), after a draw; repeat: one move changes the layout."""
    for _ in range(3):
        moved = False
        renderer = fig.canvas.get_renderer()
        texts = None  # measured once per layout: each move lays the figure out again
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            texts = axis_texts(fig, renderer) if texts is None else texts
            if covered_data(ax, legend) or labels_under_legend(ax, legend, renderer, texts):
                below_axes(ax, legend)
                moved = True
                texts = None
        if not moved:
            break


def one_column(ax, legend):
    """Replace an axes' legend by the same legend in one column, at the same place."""
    texts = legend.get_texts()
    title = legend.get_title().get_text()
    return ax.legend(legend.legend_handles, [t.get_text() for t in texts], loc=legend._loc, ncols=1,
                     fontsize=texts[0].get_fontsize() if texts else None, title=title or None)


def wrap_long_texts(fig) -> None:
    """Break titles, axis labels and legend entries wider than the figure into lines, at
    spaces outside $...$ (a legend entry counts with its marker: the legend must fit)."""
    renderer = fig.canvas.get_renderer()
    for _ in range(4):
        changed = False
        for ax in fig.axes:
            for text in (ax.title, ax.xaxis.label):
                if text.get_text() and text.get_window_extent(renderer).width > 0.95 * fig.bbox.width:
                    changed |= split_line(text)
        for legend in [ax.get_legend() for ax in fig.axes] + list(fig.legends):
            if legend is not None and legend.get_window_extent(renderer).width > 0.95 * fig.bbox.width:
                widest = max(legend.get_texts(), key=lambda t: t.get_window_extent(renderer).width)
                changed |= split_line(widest)
        if not changed:
            break
        draw(fig)


def lift_titles(fig) -> None:
    """Raise each title that touches its axes' top y tick label (the larger phone type makes
    a tick at the top edge, such as 10^6 on a log axis, reach above the title's pad), and
    make the canvas that much taller, so that the plots keep their height (and their ticks)."""
    renderer = fig.canvas.get_renderer()
    inset = renderer.dpi / 72  # 1 point, as overlapping_labels allows
    lifts = {}  # points, per row of plots
    for ax in fig.axes:
        if not (ax.axison and ax.get_title()):
            continue
        title = ax.title.get_window_extent(renderer)
        top = max((extent.y1 for _, extent in tick_labels(ax, ax.yaxis, renderer)
                   if extent.padded(-inset).overlaps(title.padded(-inset))), default=None)
        if top is not None:
            lift = (top - title.y0) * 72 / fig.dpi + 2
            pad = ax.titleOffsetTrans.get_matrix()[1, 2] * 72 / fig.dpi
            ax.set_title(ax.get_title(), pad=pad + lift, fontsize=ax.title.get_fontsize())
            row = round(ax.get_position().y1, 2)
            lifts[row] = max(lifts.get(row, 0.0), lift)
    if lifts:
        width, height = fig.get_size_inches()
        fig.set_size_inches(width, height + sum(lifts.values()) / 72)
        draw(fig)


def split_line(text) -> bool:
    """Split the longest line of a text in two at the space (outside $...$) nearest its middle."""
    lines = text.get_text().split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    line = lines[longest]
    spaces = [i for i, c in enumerate(line) if c == " " and line[:i].count("$") % 2 == 0]
    if not spaces:
        return False
    middle = min(spaces, key=lambda i: abs(i - len(line) / 2))
    lines[longest:longest + 1] = [line[:middle], line[middle + 1:]]
    text.set_text("\n".join(lines))
    return True


def legend_below(ax, **kwargs):
    """A legend under the axes' x-axis label, where it cannot cover data."""
    kwargs.setdefault("ncols", 2)
    legend = ax.legend(**kwargs)
    below_axes(ax, legend)
    return legend


def below_axes(ax, legend) -> None:
    """Move an axes' legend under its x-axis label (in one column when it must)."""
    from matplotlib import transforms

    fig = ax.figure
    if fig.stale:  # measure the labels where the layout puts them, not where they were made
        draw(fig)
    renderer = fig.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    lowest = min((t.get_window_extent(renderer).y0 for t in [ax.xaxis.label, *ax.get_xticklabels()]
                  if t.get_visible() and t.get_text()), default=axes_box.y0)
    gap = (axes_box.y0 - lowest) * 72 / fig.dpi + 4  # points below the axes' bottom edge
    anchor = transforms.offset_copy(ax.transAxes, fig, x=0, y=-gap, units="points")
    legend.set_bbox_to_anchor((0.5, 0.0), transform=anchor)
    legend._loc = 9  # "upper center" of the legend at the anchor
    draw(fig)


def whole_numbers(*axes_or_axis) -> None:
    """Tick an axis (or the x-axes of these axes) at whole numbers only: layers, steps, depths."""
    from matplotlib.ticker import MaxNLocator

    for item in axes_or_axis:
        axis = item.xaxis if hasattr(item, "xaxis") else item
        axis.set_major_locator(MaxNLocator(nbins="auto", integer=True))


# ---- Checks every figure passes (run by Outputs.figure on both variants) --------------

WHOLE_NUMBER_AXES = ("layer", "depth", "step", "time")


def covered_data(ax, legend) -> list[str]:
    """What a legend covers: lines, markers, bands, bars, arrows and texts of its axes (after a draw)."""
    from matplotlib import collections, lines, patches, spines

    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    clip = ax.get_window_extent(renderer)
    box = Bbox.intersection(legend.get_window_extent(renderer).shrunk(0.98, 0.96), clip)
    if box is None:  # outside the axes: data is drawn only inside
        return []
    found = []
    for artist in ax.get_children():
        if not artist.get_visible() or artist is legend or not hasattr(artist, "get_label"):
            continue
        label = str(artist.get_label())
        label = label if label and not label.startswith("_") else type(artist).__name__
        if isinstance(artist, lines.Line2D):
            path = artist.get_transform().transform_path(artist.get_path())
            if artist.get_linestyle() not in ("None", "", " ") and path.intersects_bbox(box, filled=False):
                found.append(label)
            elif artist.get_marker() not in ("None", "", " ", None):
                points = path.vertices
                if any(box.contains(x, y) and clip.contains(x, y) for x, y in points):
                    found.append(label)
        elif isinstance(artist, (collections.PolyCollection, collections.PathCollection)):
            if isinstance(artist, collections.PathCollection) and len(artist.get_offsets()):
                points = artist.get_offset_transform().transform(artist.get_offsets())
                if any(box.contains(x, y) for x, y in points):
                    found.append(label)
            else:
                transform = artist.get_transform()
                if any(transform.transform_path(p).intersects_bbox(box, filled=True) for p in artist.get_paths()):
                    found.append(label)
        elif isinstance(artist, collections.Collection):  # contour lines, line collections
            transform = artist.get_transform()
            if any(transform.transform_path(p).intersects_bbox(box, filled=False) for p in artist.get_paths()):
                found.append(label)
        elif isinstance(artist, patches.Patch) and artist is not ax.patch and not isinstance(artist, spines.Spine):
            # Histogram bars and outlines, arrows; an empty bin is a bar of no height.
            extent = artist.get_window_extent(renderer)
            if extent.width > 0 and extent.height > 0:
                path = artist.get_transform().transform_path(artist.get_path())
                if path.intersects_bbox(box, filled=artist.get_fill()):
                    found.append(label)
    for text in ax.texts:
        if text.get_visible() and text.get_text() and box.overlaps(text.get_window_extent(renderer)):
            found.append(f"text {text.get_text()!r}")
    return found


MIN_PLOT_SHARE = 0.2  # every plot keeps at least a fifth of its part of the canvas


def squashed_plots(fig) -> list:
    """Plots (axes with axis lines; not colour bars) left with less than MIN_PLOT_SHARE of
    their part of the canvas, after a draw: constrained layout gives legends, titles and
    labels the room they ask for and squeezes the plot itself, without a warning until it
    reaches nothing."""
    plots = [ax for ax in fig.axes if ax.axison and not hasattr(ax, "_colorbar")]
    part = 1 / max(len(plots), 1)
    return [ax for ax in plots if ax.get_position().width * ax.get_position().height < MIN_PLOT_SHARE * part]


def texts_outside(ax, tolerance: float = 1.0) -> list[str]:
    """Texts placed at data coordinates (labels on a curve, annotations) that run past the
    edge of their axes, after a draw: they spill onto tick labels or off the figure. Axes
    drawn without axis lines (diagrams) place text anywhere, so they are not checked."""
    from matplotlib.text import Annotation

    if not ax.axison:
        return []
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer).padded(tolerance * ax.figure.dpi / 72)
    outside = []
    for text in ax.texts:
        if isinstance(text, Annotation):  # at a data point, or at an offset from one
            in_data = text.xycoords == "data" and (text.anncoords == "data" or str(text.anncoords).startswith("offset"))
        else:
            in_data = text.get_transform() == ax.transData
        if not (text.get_visible() and text.get_text() and in_data):
            continue
        extent = text.get_window_extent(renderer)
        if not (frame.x0 <= extent.x0 and extent.x1 <= frame.x1 and frame.y0 <= extent.y0 and extent.y1 <= frame.y1):
            outside.append(repr(text.get_text()))
    return outside


def axis_texts(fig, renderer) -> list:
    """The titles, axis labels and tick labels of the figure's plots (axes with axis lines),
    each with its extent, tick labels only where their axis runs (a tick outside the view
    keeps a stale label)."""
    boxes = []
    for ax in fig.axes:
        if ax.axison:
            boxes += measured([t for t in [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
                               if t.get_visible() and t.get_text()], renderer)
            boxes += tick_labels(ax, ax.xaxis, renderer) + tick_labels(ax, ax.yaxis, renderer)
    return boxes


def tick_labels(ax, axis, renderer) -> list:
    """The tick labels drawn along an axis, each with its extent: a tick outside the view
    keeps a stale label."""
    frame = ax.get_window_extent(renderer)
    low, high = (frame.x0, frame.x1) if axis is ax.xaxis else (frame.y0, frame.y1)
    drawn = []
    for text, extent in measured([t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()], renderer):
        middle = (extent.x0 + extent.x1) / 2 if axis is ax.xaxis else (extent.y0 + extent.y1) / 2
        if low - 1 <= middle <= high + 1:
            drawn.append((text, extent))
    return drawn


def measured(texts, renderer) -> list:
    """Each text with its extent, measured without a trace: measuring makes a text keep the
    renderer, which its later measures without one use, and checks must change nothing."""
    boxes = []
    for text in texts:
        kept = text._renderer
        boxes.append((text, text.get_window_extent(renderer)))
        text._renderer = kept
    return boxes


def labels_under_legend(ax, legend, renderer, texts=None) -> list[str]:
    """The tick labels, axis labels and titles of the figure (`texts`: axis_texts) that a
    legend of `ax` covers: a legend anchored inside its axes but wider than them spills
    onto the tick labels (covered_data looks only inside the axes)."""
    box = legend.get_window_extent(renderer).shrunk(0.98, 0.96)
    texts = axis_texts(ax.figure, renderer) if texts is None else texts
    return [repr(text.get_text()) for text, extent in texts if box.overlaps(extent)]


def overlapping_labels(texts, renderer, tolerance: float = 1.0) -> list[str]:
    """Pairs of titles, axis labels and tick labels (`texts`: axis_texts) that overlap by
    more than `tolerance` points each way: a title on a tick label, crowded ticks, a label
    on its neighbour's."""
    inset = tolerance * renderer.dpi / 72
    boxes = [(text, box.padded(-inset)) for text, box in texts if box.width > 2 * inset and box.height > 2 * inset]
    return [f"{a.get_text()!r} and {b.get_text()!r}" for i, (a, box_a) in enumerate(boxes)
            for b, box_b in boxes[i + 1:] if box_a.overlaps(box_b)]


def record_label_clashes(event) -> None:
    """A draw_event callback: remember which labels overlap, and which labels each axes'
    legend covers, for `check`. Measured with the renderer of the draw that has just ended:
    axis labels keep the pixel positions of the last draw, which for a saved figure was the
    save's, at the SVG writer's 72 dpi, not the figure's. (The draw has just given every
    text it drew this renderer, so measuring with it changes nothing.)"""
    fig = event.canvas.figure
    texts = axis_texts(fig, event.renderer)
    fig._labels_under_legends = {ax: labels_under_legend(ax, ax.get_legend(), event.renderer, texts)
                                 for ax in fig.axes if ax.get_legend() is not None}
    fig._overlapping_labels = overlapping_labels(texts, event.renderer)


def check(fig, name: str) -> None:
    """Raise ValueError if a plot is squashed, a legend covers data or labels, a text placed in the data
    runs past the axes, or a layer/step axis ticks between whole numbers.

    Checks the layout of the figure's last draw or save (a figure just saved needs no other);
    legends over labels and overlapping labels are checked only for a figure saved by
    `outputs.svg_text`.
    """
    problems = [f"axes {ax.get_title()!r} are squashed to {100 * ax.get_position().width:.0f}% x "
                f"{100 * ax.get_position().height:.0f}% of the canvas: give the figure more room (taller, "
                f"or fewer or shorter labels and legends)" for ax in squashed_plots(fig)]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            covered = covered_data(ax, legend)
            if covered:
                problems.append(f"the legend of axes {ax.get_title()!r} covers {', '.join(sorted(set(covered)))}")
            labels = getattr(fig, "_labels_under_legends", {}).get(ax)
            if labels:
                problems.append(f"the legend of axes {ax.get_title()!r} covers the labels {', '.join(labels)}")
        spilled = texts_outside(ax)
        if spilled:
            problems.append(f"text {', '.join(spilled)} runs past the edge of axes {ax.get_title()!r}")
        for axis in (ax.xaxis, ax.yaxis):
            # What the axis counts is named before any comma ("forget gate, averaged over steps" is a gate).
            label = axis.get_label().get_text().lower().split(",")[0]
            if axis.get_scale() != "linear" or not any(word in label for word in WHOLE_NUMBER_AXES):
                continue
            low, high = sorted(axis.get_view_interval())
            fractional = [float(t) for t in axis.get_majorticklocs() if low <= t <= high and abs(t - round(t)) > 1e-9]
            if fractional:
                problems.append(f"axis {axis.get_label().get_text()!r} ticks at {fractional[:3]}: use whole numbers "
                                f"(ax.{axis.axis_name}axis.set_major_locator(MaxNLocator(integer=True)))")
    clashes = getattr(fig, "_overlapping_labels", [])
    if clashes:
        problems.append(f"labels overlap: {'; '.join(clashes)}")
    if problems:
        raise ValueError(f"figure {name}: " + "; ".join(problems))
