"""The mechanism diagrams: every number drawn is the number the script generated, and the
numbers themselves are right (checked against closed forms and finite differences)."""

import json
import math
import re

import numpy as np
import pytest

from vanishing import svgtext

NUMBER = re.compile(r"[+\u2212-]?\d+(?:\.\d+)?(?:×10[\u2212-]?\d+)?")


def load(figures_dir, stem):
    return json.loads((figures_dir / "data" / f"{stem}.json").read_text())


def parse(token: str) -> tuple[float, float]:
    """A drawn number and half a unit of its last printed digit (how far rounding may move it)."""
    token = token.replace("\u2212", "-")
    mantissa, _, exponent = token.partition("×10")
    scale = 10.0 ** int(exponent) if exponent else 1.0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return float(mantissa) * scale, 0.5 * 10.0 ** -decimals * scale


DIAGRAM_DATA = ("backprop_chain", "residual_block", "lstm_cell", "batchnorm_preactivations")


@pytest.mark.parametrize("data_stem", DIAGRAM_DATA)
def test_every_number_drawn_on_a_diagram_is_the_generated_number(figures_dir, data_stem):
    drawn = load(figures_dir, data_stem)["drawn"]
    assert drawn, f"{data_stem} records no drawn numbers"
    figures = sorted({gid.split("-")[0] for gid in drawn})
    for figure in figures:
        expected = {gid: value for gid, value in drawn.items() if gid.split("-")[0] == figure}
        for variant in (f"{figure}.svg", f"{figure}.phone.svg"):
            texts = svgtext.texts_by_group((figures_dir / variant).read_text(), figure + "-")
            labelled = {gid: text for gid, text in texts.items() if gid in expected or NUMBER.search(text)}
            assert set(expected) <= set(labelled), f"{variant}: numbers not drawn: {set(expected) - set(labelled)}"
            for gid, value in expected.items():
                tokens = NUMBER.findall(texts[gid])
                assert tokens, f"{variant} {gid}: no number in {texts[gid]!r}"
                shown, tolerance = parse(tokens[-1])
                assert abs(shown - value) <= tolerance * (1 + 1e-9), f"{variant} {gid}: drew {texts[gid]!r}, generated {value}"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("kind", ["plain", "residual"])
def test_backprop_chain_products_are_the_factors_multiplied_and_match_finite_differences(figures_dir, kind):
    data = load(figures_dir, "backprop_chain")
    chain, setup = data[kind], data["setup"]
    w, factor, product = (np.array(chain[k]) for k in ("w", "factor", "product"))
    depth = setup["depth"]
    # product[l-1] = dL/dh_l / dL/dh_depth = f_depth * ... * f_{l+1}
    running = np.cumprod(factor[::-1])[::-1]  # running[l-1] = f_{l+1} ... f_depth, l = 1..depth-1
    np.testing.assert_allclose(product[:-1], running, rtol=1e-5)
    assert product[-1] == 1

    def last_from(l, h):  # h_depth as a function of h_l, biases 0
        for k in range(l + 1, depth + 1):
            h = h + sigmoid(w[k - 1] * h) if kind == "residual" else sigmoid(w[k - 1] * h)
        return h

    h = np.array(chain["h"])
    for l in range(1, depth):
        eps = 1e-6
        numeric = (last_from(l, h[l - 1] + eps) - last_from(l, h[l - 1] - eps)) / (2 * eps)
        assert numeric == pytest.approx(product[l - 1], rel=1e-4, abs=1e-12)
    # the factor is the weight times the sigmoid's slope (plus 1 on the skip path)
    z = np.array(chain["z"])
    slope = sigmoid(z[1:]) * (1 - sigmoid(z[1:]))
    np.testing.assert_allclose(factor, w[1:] * slope + (1 if kind == "residual" else 0), rtol=1e-5)


def test_residual_block_jacobian_is_identity_plus_the_branch(figures_dir):
    data = load(figures_dir, "residual_block")
    w, dF, J = (np.array(data[k]) for k in ("w", "branch_jacobian", "jacobian"))
    x = np.array(data["setup"]["x"])
    np.testing.assert_allclose(J, np.eye(2) + dF, rtol=1e-6, atol=1e-9)
    eps = 1e-6
    for j in range(2):
        step = np.eye(2)[j] * eps
        column = (sigmoid((x + step) @ w) - sigmoid((x - step) @ w)) / (2 * eps)
        np.testing.assert_allclose(dF[:, j], column, rtol=1e-5, atol=1e-9)


def test_unrolled_signals_end_at_one_and_the_open_gate_keeps_more(figures_dir):
    data = load(figures_dir, "lstm_cell")
    for name in ("rnn", "lstm", "lstm_open"):
        assert data[name][-1] == 1
    assert data["lstm_open"][0] > data["lstm"][0]


def test_batchnorm_diagram_counts_match_the_drawn_percentages(figures_dir):
    data = load(figures_dir, "batchnorm_preactivations")
    before = data["drawn"]["batchnorm_preactivations_sigmoid-saturated-before"]
    after = data["drawn"]["batchnorm_preactivations_sigmoid-saturated-after"]
    assert before > 10 and after < 1, "the diagram should show the problem and the fix"
    ratio_without = np.median(np.array(data["without"]["hidden_grad_rms"])[:, 0]
                              / np.array(data["without"]["hidden_grad_rms"])[:, -1])
    assert ratio_without < 1e-6 and math.isfinite(ratio_without)
