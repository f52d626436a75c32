"""The plotting style's one piece of machinery: mathtext parses shared between renderers."""

import json
import subprocess
import sys
import textwrap

FIGURE_TWICE_THEN_WITHOUT_SHARING = textwrap.dedent(r"""
    import io, json
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import _mathtext, mathtext
    per_parser = mathtext.MathTextParser._parse_cached  # matplotlib's own cache, before the style's
    from vanishing import style

    parses = []
    parse = _mathtext.Parser.parse
    _mathtext.Parser.parse = lambda self, s, *args: parses.append(s) or parse(self, s, *args)

    def svg():
        fig, ax = style.figure()
        ax.plot([1, 2], [1e-6, 1e2])
        ax.set(yscale="log", ylabel="gradient $\|\partial L / \partial W_l\|$")
        text = io.StringIO()
        fig.savefig(text, format="svg", metadata={"Date": None})
        matplotlib.pyplot.close(fig)
        return text.getvalue()

    first = svg()
    after_first = len(parses)
    second = svg()
    after_second = len(parses)
    mathtext.MathTextParser._parse_cached = per_parser
    print(json.dumps({"same": first == second == svg(), "first": after_first, "second": after_second - after_first,
                      "unshared": len(parses) - after_second}))
""")


def test_a_formula_is_parsed_once_per_process_and_drawn_as_matplotlib_draws_it():
    """A second figure with the same tick labels and axis label parses nothing again (with
    matplotlib's own cache, every new renderer parses them anew), and the SVG is byte for
    byte the one matplotlib's own cache gives."""
    run = subprocess.run([sys.executable, "-c", FIGURE_TWICE_THEN_WITHOUT_SHARING], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["same"]
    assert result["first"] > 0 and result["unshared"] > 0, "the figure has formulas to parse"
    assert result["second"] == 0


def test_a_legend_placed_below_before_the_layout_sits_just_under_the_x_label():
    """`legend_below` is called while a figure is being made, before any layout: the legend
    must end up under the x-axis label where the layout puts it, not where it was made."""
    import matplotlib

    matplotlib.use("Agg")
    from vanishing import style

    fig, (top, bottom) = style.figure(2, 1)
    for ax in (top, bottom):
        ax.plot([0, 1], [0, 1], label="a line")
        ax.set(xlabel="step $k$")
    legend = style.legend_below(top)
    style.draw(fig)
    renderer = fig.canvas.get_renderer()
    gap = (top.xaxis.label.get_window_extent(renderer).y0 - legend.get_window_extent(renderer).y1) * 72 / fig.dpi
    matplotlib.pyplot.close(fig)
    assert 0 <= gap <= 12, f"{gap:.1f} points between the x label and the legend"


def test_on_a_phone_a_legend_wider_than_its_axes_moves_off_the_tick_labels():
    """A legend that fits inside its axes on a desktop can be wider than the phone's narrow
    axes and spill onto the tick labels (covered_data sees only inside the axes): the phone
    variant moves it under the axes, and a label wrapped after that stays uncovered."""
    import matplotlib

    matplotlib.use("Agg")
    from vanishing import style

    fig, (top, bottom) = style.figure(2, 1)
    top.plot([0, 600], [2.35, 2.3], label="sigmoid, 10 layers")
    top.plot([0, 600], [2.3, 2.3], label="ReLU, 10 layers, learning rate 0.001")
    top.set(ylim=(2.0, 2.6), xlabel="training step")
    top.legend(loc="upper right")
    bottom.plot([0, 1], [0, 1], label="a line")
    bottom.set(xlabel="walking direction (degrees from the $x$-axis), a label the phone wraps")
    style.legend_below(bottom)
    style.draw(fig)
    renderer = fig.canvas.get_renderer()
    assert not style.labels_under_legend(top, top.get_legend(), renderer), "fits on a desktop"
    style.phone(fig)
    renderer = fig.canvas.get_renderer()
    try:
        for ax in (top, bottom):
            assert not style.labels_under_legend(ax, ax.get_legend(), renderer)
        assert "\n" in bottom.xaxis.label.get_text()
        assert top.get_legend().get_window_extent(renderer).y1 < top.get_window_extent(renderer).y0
    finally:
        matplotlib.pyplot.close(fig)


def test_on_a_phone_a_title_is_lifted_off_a_tick_label_at_the_top_edge():
    """The phone's larger type makes a log axis' tick at the top edge (10^6) reach into the
    title: the phone variant lifts the title and makes the canvas that much taller."""
    import matplotlib

    matplotlib.use("Agg")
    from vanishing import style

    fig, ax = style.figure()
    ax.plot([1, 100], [1e-66, 1e6])
    ax.set(yscale="log", ylim=(1e-66, 1e6), ylabel="RMS error signal", title="Error signal per layer, 100 layers")
    style.phone(fig)
    renderer = fig.canvas.get_renderer()
    try:
        assert not style.overlapping_labels(style.axis_texts(fig, renderer), renderer)
    finally:
        matplotlib.pyplot.close(fig)
