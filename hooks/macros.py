"""mkdocs-macros module: filters that print generated numbers the way prose needs them.

Pages opt in with `render_macros: true` in their front matter and read numbers as
`{{ numbers.<script>.<key> }}` from figures/numbers.yml, which `make figures` writes.
"""

import math

SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def define_env(env):
    @env.filter
    def sci(value, digits: int = 3) -> str:
        """LaTeX scientific notation for use inside $...$: 9.54e-07 -> 9.54 \\times 10^{-7}."""
        value = float(value)
        if value == 0:
            return "0"
        exponent = math.floor(math.log10(abs(value)))
        mantissa = value / 10**exponent
        if exponent == 0:
            return f"{mantissa:.{digits - 1}f}"
        return f"{mantissa:.{digits - 1}f} \\times 10^{{{exponent}}}"

    @env.filter
    def sci_text(value, digits: int = 2) -> str:
        """Scientific notation in plain text, for places MathJax may not reach: 1.9 × 10¹²."""
        latex = sci(value, digits)
        if "times" not in latex:
            return latex
        mantissa, exponent = latex.split(" \\times 10^")
        return f"{mantissa} × 10{exponent.strip('{}').translate(SUPERSCRIPTS)}"

    @env.filter
    def prose(value) -> str:
        """A number for running text, with a true minus sign: -0.8 -> −0.8 (in $...$ the
        math typesetter does this itself)."""
        return str(value).replace("-", "\u2212")

    @env.filter
    def fixed(value, decimals: int = 2) -> str:
        """A plain decimal with a fixed number of places."""
        return f"{float(value):.{decimals}f}"
