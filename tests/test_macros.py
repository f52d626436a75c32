"""The filters pages use to print generated numbers."""

import sys

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "hooks"))
import macros  # noqa: E402


def filters() -> dict:
    class Env:
        registered = {}

        def filter(self, fn):
            self.registered[fn.__name__] = fn
            return fn

    env = Env()
    macros.define_env(env)
    return env.registered


def test_scientific_notation_in_latex_and_in_plain_text():
    f = filters()
    assert f["sci"](1.86e12, 2) == "1.9 \\times 10^{12}"
    assert f["sci_text"](1.86e12) == "1.9 × 10¹²"
    assert f["sci_text"](3.2e-7, 3) == "3.20 × 10⁻⁷"
    assert f["sci_text"](5.0) == "5.0"
    assert f["fixed"](2.302585, 2) == "2.30"


def test_numbers_in_running_text_get_a_true_minus_sign():
    f = filters()
    assert f["prose"](-0.8) == "\u22120.8"
    assert f["prose"](f["fixed"](-0.22071, 4)) == "\u22120.2207"
    assert f["prose"](1.44) == "1.44"
