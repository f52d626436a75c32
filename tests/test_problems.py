"""Worked problems: every solution quotes the numbers scripts/worked_problems.py computed,
and those numbers agree with closed forms worked out independently here."""

import json
import math
import re

import numpy as np
import pytest
import yaml

from conftest import PROJECT

PAGES = {chapter: PROJECT / "docs" / "problems" / f"chapter-{chapter}.md" for chapter in (1, 2, 3)}
HEADING = re.compile(r"^## Problem (\d)\.(\d): .+ \((by hand|by experiment)\)$", re.M)


@pytest.fixture(scope="module")
def n(figures_dir) -> dict:
    return yaml.safe_load((figures_dir / "numbers.yml").read_text())["numbers"]["worked_problems"]


@pytest.fixture(scope="module")
def answers(figures_dir) -> dict:
    return json.loads((figures_dir / "data" / "worked_problems.json").read_text())["answers"]


def problems(chapter: int) -> dict[str, tuple[str, str, str]]:
    """problem id (p1_2) -> (kind, question text, solution text) from the chapter's page."""
    text = PAGES[chapter].read_text()
    found = {}
    parts = HEADING.split(text)  # prefix, then (chapter, number, kind, body) per problem
    for i in range(1, len(parts), 4):
        chapter_no, number, kind, body = parts[i:i + 4]
        assert int(chapter_no) == chapter
        question, _, solution = body.partition('??? success "Solution"')
        assert solution, f"problem {chapter}.{number} has no folded solution"
        found[f"p{chapter}_{number}"] = (kind, question, solution)
    return found


@pytest.mark.parametrize("chapter", [1, 2, 3])
def test_each_chapter_has_four_to_six_problems_by_hand_and_by_experiment(chapter):
    found = problems(chapter)
    assert 4 <= len(found) <= 6
    kinds = {kind for kind, _, _ in found.values()}
    assert kinds == {"by hand", "by experiment"}


@pytest.mark.parametrize("chapter", [1, 2, 3])
def test_every_solution_quotes_the_generated_answers(chapter, answers, n):
    found = problems(chapter)
    assert sorted(found) == sorted(p for p in answers if p.startswith(f"p{chapter}_"))
    for problem, (_, question, solution) in found.items():
        missing = [key for key in answers[problem] if f"numbers.worked_problems.{key} " not in solution
                   and f"numbers.worked_problems.{key} |" not in solution]
        assert not missing, f"{problem}: the solution does not quote {missing}"
        prose = re.sub(r"\{\{.*?\}\}|[Pp]roblems?\s+\d\.\d", "", solution)  # minus numbers and cross-references
        typed = re.findall(r"(?<![\w.{])\d+\.\d+", prose)
        assert not typed, f"{problem}: decimals typed by hand in the solution: {typed}"


def test_the_built_solutions_show_the_values(site_dir, n):
    html = (site_dir / "problems" / "chapter-1" / "index.html").read_text()
    solutions = re.findall(r'<details class="success">(.*?)</details>', html, re.S)
    assert len(solutions) == len(problems(1))
    assert str(n["p1_4_new_w"]) in solutions[3] and str(n["p1_5_saturated_steps"]) in solutions[4]


def close(a, b, rel=2e-3):
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_chapter_1_answers_match_closed_forms(n):
    x, h = n["p1_1_x"], n["p1_1_h"]
    assert close(n["p1_1_estimate"], 2 * x + h) and close(n["p1_1_error"], h)
    gx, gy = 2 * n["p1_2_x"], 6 * n["p1_2_y"]
    assert (n["p1_2_grad_x"], n["p1_2_grad_y"]) == (gx, gy)
    assert close(n["p1_2_length"], math.hypot(gx, gy)) and close(n["p1_2_dir_y"], gy / math.hypot(gx, gy))
    new = (n["p1_2_x"] - n["p1_2_lr"] * gx, n["p1_2_y"] - n["p1_2_lr"] * gy)
    assert close(n["p1_2_f_after"], new[0] ** 2 + 3 * new[1] ** 2)
    a, k = n["p1_3_a"], n["p1_3_steps"]
    assert close(n["p1_3_limit"], 2 / a)
    assert close(n["p1_3_good_x"], (1 - n["p1_3_good_lr"] * a) ** k * n["p1_3_x0"])
    assert close(n["p1_3_bad_x"], (1 - n["p1_3_bad_lr"] * a) ** k * n["p1_3_x0"])
    # The neuron, by the chain rule written out (not jax.grad).
    xi, yi, w, b, lr = (n[f"p1_4_{k}"] for k in ("x", "y", "w", "b", "lr"))
    act = sigmoid(w * xi + b)
    dz = (act - yi) * act * (1 - act)
    assert close(n["p1_4_grad_w"], dz * xi) and close(n["p1_4_grad_b"], dz)
    assert close(n["p1_4_new_loss"], 0.5 * (sigmoid((w - lr * dz * xi) * xi + b - lr * dz) - yi) ** 2)
    # The page says the saturated start is "far more than 100 times" slower.
    assert n["p1_5_saturated_steps"] > 100 * n["p1_5_fresh_steps"]
    z = n["p1_5_saturated_z"]
    assert close(n["p1_5_saturated_slope"], sigmoid(z) * (1 - sigmoid(z)))


def test_chapter_2_answers_match_closed_forms(n):
    assert close(n["p2_1_product"], 0.25 ** n["p2_1_depth"])
    needed = n["p2_1_layers_needed"]
    assert 0.25**needed < n["p2_1_target"] <= 0.25 ** (needed - 1)
    # The chain of three sigmoid neurons, forward and backward by hand.
    w, x, y = n["p2_2_w"], n["p2_2_x"], n["p2_2_y"]
    h1 = sigmoid(w * x)
    h2 = sigmoid(w * h1)
    h3 = sigmoid(w * h2)
    s1, s2, s3 = (h * (1 - h) for h in (h1, h2, h3))
    assert close(n["p2_2_grad_w3"], (h3 - y) * s3 * h2)
    assert close(n["p2_2_grad_w1"], (h3 - y) * s3 * w * s2 * w * s1 * x)
    assert n["p2_2_factor2"] < 0.5 and n["p2_2_factor3"] < 0.5  # "each is below 1/2"
    assert close(n["p2_3_tanh_slope"], 1 - math.tanh(n["p2_3_z"]) ** 2)
    assert n["p2_3_tanh_slope"] < n["p2_3_sigmoid_slope"]  # "already below the sigmoid's"
    assert close(n["p2_4_alternating"], (n["p2_4_small"] * n["p2_4_large"]) ** (n["p2_4_layers"] / 2))
    # "Close to 10^-2k": twice the depth, about twice the orders of magnitude.
    assert 1.6 < n["p2_5_decades_deep"] / n["p2_5_decades_shallow"] < 2.5


def test_chapter_3_answers_match_closed_forms(n):
    assert close(n["p3_1_variance"], 2 / n["p3_1_n"])
    assert close(n["p3_1_lecun_rms"], 0.5 ** (n["p3_1_layers"] / 2))
    assert close(n["p3_2_xavier"], 2 / (n["p3_2_fan_in"] + n["p3_2_fan_out"]))
    s, w = n["p3_3_s"], n["p3_3_w"]
    assert close(n["p3_3_residual_slope"], 1 + s * w) and close(n["p3_3_plain_slope"], w)
    assert n["p3_3_negative_slope"] == 1 and n["p3_3_negative_plain_slope"] == 0
    z = np.array([n[f"p3_4_z{i}"] for i in range(1, 5)], dtype=float)
    expected = (z - z.mean()) / np.sqrt(z.var() + n["p3_4_epsilon"])
    assert all(close(n[f"p3_4_out{i + 1}"], v) for i, v in enumerate(expected) if v != 0)
    # "Close to the prediction" for Xavier; about 1 for He.
    assert 0.1 < n["p3_5_ratio_xavier"] / n["p3_5_predicted_xavier"] < 10
    assert 0.1 < n["p3_5_ratio_he"] < 10
