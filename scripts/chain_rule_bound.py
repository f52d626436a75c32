"""The chain-rule bound (1/4)^L: the most a chain of L sigmoid layers can pass back.

Each sigmoid layer multiplies the backward signal by sigma'(z) <= 1/4 (times a weight),
so with weights of size at most 1 the gradient reaching the first of L layers is at
most (1/4)^L of the signal at the output. We tabulate it for L = 1..50, computing the
sigmoid's maximal slope with `jax.grad` rather than typing 1/4.
"""

import jax
import jax.numpy as jnp

from vanishing import activations
from vanishing.outputs import markdown_table

DEPTHS = range(1, 51)
QUOTED_DEPTHS = (10, 50)  # the depths the prose quotes


def sci(value: float) -> str:
    """Scientific notation for a Markdown table, e.g. 9.537 × 10^-7 as LaTeX."""
    mantissa, exponent = f"{value:.3e}".split("e")
    return f"${mantissa} \\times 10^{{{int(exponent)}}}$"


def build(out):
    max_slope = jax.grad(activations.get("sigmoid").fn)(0.0)  # sigma'(0) = 1/4
    bounds = max_slope ** jnp.arange(1, len(DEPTHS) + 1, dtype=jnp.float64)
    rows = [[depth, sci(float(b)), f"{float(-jnp.log10(b)):.1f}"] for depth, b in zip(DEPTHS, bounds)]
    out.table(
        "chain_rule_bound",
        markdown_table(["Layers $L$", "Bound $(1/4)^L$", "Orders of magnitude lost"], rows),
    )
    out.data("chain_rule_bound", {"depth": list(DEPTHS), "bound": bounds.tolist()})
    for depth in QUOTED_DEPTHS:
        out.number(f"bound_l{depth}", float(bounds[depth - 1]), digits=3)
    out.number("decades_l10", round(float(-jnp.log10(bounds[9])), 1))
