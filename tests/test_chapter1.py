"""Chapter 1 and the home page: gradient descent against closed forms, the neuron by hand,
gradient arrows against the analytic gradient, the chapter's figures and tables, and its quiz
answered with the keyboard in a real browser."""

import math
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import yaml

import derivative_as_slope
import gradient_descent_ill_conditioned as valley
import gradient_descent_quadratic as bowl
import sigmoid_neuron_update as neuron
import steepest_ascent_contours as hills
from conftest import PROJECT
from reading import core_path
from vanishing import descent

CHAPTER = PROJECT / "docs" / "gradients-drive-learning.md"
HOME = PROJECT / "docs" / "index.md"


# --- plain gradient descent (vanishing.descent) --------------------------------------------

@pytest.mark.parametrize("lr", [0.05, 0.1, 0.25, 0.45, 0.5, 0.55, 0.7])
def test_1d_iterates_match_the_closed_form(lr):
    a, x0, steps = 4.0, 1.0, 12
    xs = descent.gradient_descent(descent.quadratic(a), x0, lr, steps)
    expected = (1 - lr * a) ** np.arange(steps + 1) * x0
    np.testing.assert_allclose(xs, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(descent.quadratic_iterates_closed_form(a, x0, lr, steps), expected, rtol=1e-12)


@pytest.mark.parametrize("a", [0.5, 4.0, 10.0])
@pytest.mark.parametrize("fraction", [0.2, 0.7, 0.95, 1.05, 1.5])  # lr as a fraction of 2/a
def test_regimes_follow_lr_against_2_over_a(a, fraction):
    lr = fraction * 2 / a
    xs = np.asarray(descent.gradient_descent(descent.quadratic(a), 1.0, lr, 80))
    name = descent.regime(lr, a)
    if lr < 2 / a:
        assert abs(xs[-1]) < 1e-2 and name in ("converges smoothly", "zigzags, converges")
    else:
        assert abs(xs[-1]) > 1 and name == "diverges"
    signs_flip = bool(np.all(np.sign(xs[1:]) != np.sign(xs[:-1])))
    assert signs_flip == (lr > 1 / a)
    assert (name == "zigzags, converges") == (1 / a < lr < 2 / a)


def test_the_boundary_lr_bounces_for_ever():
    xs = descent.gradient_descent(descent.quadratic(4.0), 1.0, 0.5, 9)
    np.testing.assert_allclose(np.abs(xs), 1.0)
    assert descent.regime(0.5, 4.0) == "bounces for ever"


def test_2d_iterates_match_matrix_powers_and_the_eigen_decomposition():
    a = jnp.array([[5.5, 4.5], [4.5, 5.5]])
    x0 = jnp.array([-2.0, 1.0])
    for lr in (0.05, 0.18, 0.21):
        xs = np.asarray(descent.gradient_descent(descent.quadratic(a), x0, lr, 25))
        step = np.eye(2) - lr * np.asarray(a)
        expected = np.stack([np.linalg.matrix_power(step, k) @ np.asarray(x0) for k in range(26)])
        np.testing.assert_allclose(xs, expected, rtol=1e-10, atol=1e-12)
        closed = np.asarray(descent.quadratic_iterates_closed_form(a, x0, lr, 25))
        np.testing.assert_allclose(closed, expected, rtol=1e-10, atol=1e-12)


def test_the_valley_is_the_separable_one_turned_by_45_degrees():
    """The page says: curvature lam_max across (along (1, 1)), lam_min along (1, -1), and
    each of those coordinates evolves on its own, u_k = (1 - lr lam)^k u_0."""
    a = np.asarray(valley.MATRIX)
    across, along = np.array([1.0, 1.0]) / np.sqrt(2), np.array([-1.0, 1.0]) / np.sqrt(2)
    lam = np.linalg.eigvalsh(a)
    np.testing.assert_allclose(a @ across, lam[-1] * across, rtol=1e-14)
    np.testing.assert_allclose(a @ along, lam[0] * along, rtol=1e-14)
    assert lam[-1] / lam[0] > 5  # a genuinely narrow valley
    for lr in valley.LEARNING_RATES:
        xs = valley.run(lr)
        k = np.arange(valley.STEPS + 1)
        np.testing.assert_allclose(xs @ across, (1 - lr * lam[-1]) ** k * (np.asarray(valley.X0) @ across),
                                   rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(xs @ along, (1 - lr * lam[0]) ** k * (np.asarray(valley.X0) @ along),
                                   rtol=1e-10, atol=1e-12)


def test_the_valley_table_headers_are_the_factors(figures_dir):
    header = (figures_dir / "tables" / "gradient_descent_ill_conditioned.md").read_text().splitlines()[0]
    assert "1 - 1\\," not in header  # "1 - eta", not "1 - 1 eta"
    assert valley.factor_formula(1.0) == "1 - \\eta"
    assert valley.factor_formula(10.0) == "1 - 10\\,\\eta"
    lam = np.linalg.eigvalsh(np.asarray(valley.MATRIX))
    assert f"${valley.factor_formula(lam[-1])}$" in header and f"${valley.factor_formula(lam[0])}$" in header


def test_2d_stability_is_set_by_the_largest_eigenvalue():
    a = jnp.array(valley.MATRIX)
    lam_max = float(jnp.max(jnp.linalg.eigvalsh(a)))
    for lr in valley.LEARNING_RATES:
        final = np.linalg.norm(valley.run(lr)[-1])
        assert (final < np.linalg.norm(valley.X0)) == (lr < 2 / lam_max)
    assert valley.LEARNING_RATES[0] < valley.LEARNING_RATES[1] < 2 / lam_max < valley.LEARNING_RATES[2]


# --- generated tables and numbers ------------------------------------------------------------

def _table_rows(path):
    lines = [line for line in path.read_text().splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def _number(cell: str) -> float:
    return float(cell.replace("−", "-"))


def test_the_quadratic_table_is_the_closed_form(figures_dir):
    rows = _table_rows(figures_dir / "tables" / "gradient_descent_quadratic.md")
    iterate_rows = [r for r in rows if r[0].isdigit()]
    assert len(iterate_rows) == bowl.TABLE_STEPS + 1 <= bowl.STEPS + 1  # short enough to check by hand
    assert all(len(cell.replace("−", "").lstrip("0.")) <= 6 for row in iterate_rows for cell in row[1:])
    for row in iterate_rows:
        k = int(row[0])
        for cell, lr in zip(row[1:], bowl.LEARNING_RATES):
            expected = (1 - lr * bowl.CURVATURE) ** k * bowl.X0
            assert _number(cell) == pytest.approx(expected, rel=1e-5)
    behaviours = rows[-1][1:]
    assert behaviours == ["converges smoothly", "zigzags, converges", "diverges"]
    # one learning rate in each regime, on either side of 2/a
    assert bowl.LEARNING_RATES[0] < 1 / bowl.CURVATURE < bowl.LEARNING_RATES[1] < 2 / bowl.CURVATURE
    assert bowl.LEARNING_RATES[2] > 2 / bowl.CURVATURE


def test_the_neuron_step_matches_the_hand_formula_and_finite_differences():
    s = neuron.worked_step()
    z = neuron.W0 * neuron.X + neuron.B0
    a = 1 / (1 + np.exp(-z))
    hand_w = (a - neuron.Y) * a * (1 - a) * neuron.X
    hand_b = (a - neuron.Y) * a * (1 - a)
    assert s["z"] == pytest.approx(z, rel=1e-14)
    assert s["a"] == pytest.approx(a, rel=1e-14)
    assert s["grad_w"] == pytest.approx(hand_w, rel=1e-12)
    assert s["grad_b"] == pytest.approx(hand_b, rel=1e-12)

    def loss(w, b):
        act = 1 / (1 + np.exp(-(w * neuron.X + b)))
        return 0.5 * (act - neuron.Y) ** 2

    h = 1e-6
    fd_w = (loss(neuron.W0 + h, neuron.B0) - loss(neuron.W0 - h, neuron.B0)) / (2 * h)
    fd_b = (loss(neuron.W0, neuron.B0 + h) - loss(neuron.W0, neuron.B0 - h)) / (2 * h)
    assert s["grad_w"] == pytest.approx(fd_w, rel=1e-7)
    assert s["grad_b"] == pytest.approx(fd_b, rel=1e-7)
    assert s["new_w"] == pytest.approx(neuron.W0 - neuron.LR * hand_w, rel=1e-12)
    assert s["new_b"] == pytest.approx(neuron.B0 - neuron.LR * hand_b, rel=1e-12)
    assert s["new_loss"] < s["loss"]  # one step downhill lowers the loss


def test_the_published_neuron_numbers_are_the_computed_ones(figures_dir):
    published = yaml.safe_load((figures_dir / "numbers.yml").read_text())["numbers"]["sigmoid_neuron_update"]
    s = neuron.worked_step()
    for key in ("z", "a", "loss", "sigma_prime", "grad_w", "grad_b", "new_w", "new_b", "new_loss"):
        assert published[key] == pytest.approx(s[key], rel=1e-3), key
    table = {row[0]: row[2] for row in _table_rows(figures_dir / "tables" / "sigmoid_neuron_update.md")}
    assert _number(table["$\\partial \\mathcal{L} / \\partial w$"]) == pytest.approx(s["grad_w"], abs=5e-5)


# --- gradients of the 2-D landscape and the tangent slopes ------------------------------------

def test_gradient_arrows_are_the_analytic_gradient():
    points, grads = hills.arrow_field()
    expected = jax.vmap(hills.analytic_grad)(points)
    np.testing.assert_allclose(grads, expected, rtol=1e-12, atol=1e-15)
    assert float(jnp.max(jnp.linalg.norm(grads, axis=1))) > 0.1  # the field is not trivially zero


def test_directional_derivative_is_gradient_dot_direction():
    p = jnp.array(hills.POINT)
    g = hills.analytic_grad(p)
    thetas = jnp.linspace(-np.pi, np.pi, 73)
    slopes = hills.directional_derivatives(p, thetas)
    expected = jnp.cos(thetas) * g[0] + jnp.sin(thetas) * g[1]
    np.testing.assert_allclose(slopes, expected, rtol=1e-10, atol=1e-14)
    # finite difference along the gradient direction gives the largest slope, |grad f|
    u = g / jnp.linalg.norm(g)
    h = 1e-6
    fd = (hills.f(p + h * u) - hills.f(p - h * u)) / (2 * h)
    assert float(fd) == pytest.approx(float(jnp.linalg.norm(g)), rel=1e-7)
    assert float(jnp.max(slopes)) <= float(jnp.linalg.norm(g)) + 1e-12


def test_tangent_slopes_are_the_derivative():
    for x0 in derivative_as_slope.POINTS:
        assert float(jax.grad(derivative_as_slope.f)(x0)) == pytest.approx(x0**2 - 1, abs=1e-12)


# --- the pages ------------------------------------------------------------------------------

def test_chapter_has_at_least_four_figures_and_two_tables():
    text = CHAPTER.read_text()
    figures = set(re.findall(r"\]\((figures/[a-z0-9_]+\.svg)\)", text))
    tables = set(re.findall(r'--8<-- "(figures/tables/[a-z0-9_]+\.md)"', text))
    assert len(figures) >= 4, figures
    assert len(tables) >= 2, tables
    assert text.count("<quiz>") >= 5
    assert text.count("<figure") == text.count("<figcaption") == len(figures)


def test_home_page_shows_the_gradient_fade_figure_and_links_every_chapter():
    text = HOME.read_text()
    assert "figures/home_gradient_fade.svg" in text
    for page in ("gradients-drive-learning.md", "why-gradients-vanish.md", "fixing-vanishing-gradients.md",
                 "explorer.md", "notebooks.md"):
        assert f"]({page})" in text, page


def test_home_figure_shows_sigmoid_vanishing_and_relu_not(figures_dir):
    import json

    data = json.loads((figures_dir / "data" / "home_gradient_fade.json").read_text())
    sigmoid = np.median(np.array(data["sigmoid"]), axis=0)
    relu = np.median(np.array(data["relu"]), axis=0)
    assert sigmoid[0] < 1e-10 * sigmoid[-2]  # many orders of magnitude lost
    assert 0.1 < relu[0] / relu[-2] < 10  # roughly the same size at every layer


def test_the_home_caption_explains_the_relu_band_with_the_data(figures_dir):
    """The caption says: per seed, the first layer gets between min and max times the last
    hidden layer's gradient, and the band is wide because seeds differ in overall size."""
    import json

    data = json.loads((figures_dir / "data" / "home_gradient_fade.json").read_text())
    numbers = yaml.safe_load((figures_dir / "numbers.yml").read_text())["numbers"]["home_gradient_fade"]
    relu = np.array(data["relu"])  # (seed, layer): hidden layers 1..DEPTH, then the read-out
    ratios = relu[:, 0] / relu[:, -2]
    assert numbers["relu_ratio_min"] == pytest.approx(ratios.min(), rel=0.05)
    assert numbers["relu_ratio_max"] == pytest.approx(ratios.max(), rel=0.05)
    assert numbers["relu_last_hidden_min"] == pytest.approx(relu[:, -2].min(), rel=0.05)
    assert numbers["relu_last_hidden_max"] == pytest.approx(relu[:, -2].max(), rel=0.05)
    # The band's width is the seeds' overall spread, which is much larger than any seed's fade.
    assert relu[:, -2].max() / relu[:, -2].min() > 10 * ratios.max() / ratios.min()
    text = HOME.read_text()
    for key in ("relu_ratio_min", "relu_ratio_max", "relu_last_hidden_min", "relu_last_hidden_max"):
        assert f"numbers.home_gradient_fade.{key}" in text, key


def test_the_arrow_at_p_is_drawn_to_the_same_scale_as_the_others():
    """A bigger arrow at P would make P look like the steepest spot on the map."""
    import ast

    tree = ast.parse((PROJECT / "scripts" / "steepest_ascent_contours.py").read_text())
    scales = [ast.unparse(kw.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
              and getattr(node.func, "attr", "") == "quiver" for kw in node.keywords if kw.arg == "scale"]
    assert len(scales) == 2 and len(set(scales)) == 1, scales


def test_no_prime_sits_on_a_sized_bracket():
    """`\\bigr)'` puts the prime on a stretchy delimiter, which the browser draws small and
    low with the prime floating away; the pages write `[f(g(x))]'` instead."""
    sized = re.compile(r"\\(?:big|Big|bigg|Bigg)[rlm]?\s*[)\]}|]\s*'|\\right\s*[)\]|}.]\s*'")
    found = [f"{p.name}:{i}" for p in sorted((PROJECT / "docs").rglob("*.md"))
             for i, line in enumerate(p.read_text().splitlines(), 1) if sized.search(line)]
    assert found == []
    assert sized.search("\\bigl(f(g(x))\\bigr)' = f'(g(x))") and not sized.search("[f(g(x))]'")


def test_the_chapter_opens_with_goals_and_reading_time_and_ends_with_its_summary(site_dir):
    html = (site_dir / "gradients-drive-learning" / "index.html").read_text()
    first_section = html.index("<h2")
    goals = html.index("Learning goals of chapter 1")
    minutes = re.search(r'<span class="reading-time">(\d+)</span>', html)
    assert goals < minutes.start() < first_section
    assert int(minutes.group(1)) == math.ceil(core_path(html).minutes)  # measured, not typed
    # ... and so is the time to work through it, figures, tables and quiz included
    study = re.search(r'<span class="study-time">(\d+)</span>', html)
    assert goals < study.start() < first_section
    assert int(study.group(1)) == 5 * math.ceil(core_path(html).study_minutes / 5)
    assert int(study.group(1)) >= 2 * int(minutes.group(1))
    for label in ("1.1", "1.2", "1.3", "1.4", "1.5"):
        assert f"<strong>{label} " in html[goals:first_section], label
    headings = re.findall(r'<h2 id="([^"]+)"', html)
    assert headings[-3:] == ["summary", "for-the-curious", "check-your-understanding"]
    curious = html[html.index('id="for-the-curious"'):html.index('id="check-your-understanding"')]
    assert core_path(f'<article class="md-content__inner">{curious}</article>').formulas == 0  # all folded


def test_the_core_path_needs_no_vectors_or_angles(site_dir):
    """Vectors, dot products, angles and jax.jvp wait in the folded boxes."""
    html = (site_dir / "gradients-drive-learning" / "index.html").read_text()
    innermost = re.compile(r"<details\b(?:(?!<details\b).)*?</details>", re.S)  # boxes can nest
    while innermost.search(html):
        html = innermost.sub("", html)
    html = html[html.index("<h1"):html.index('id="check-your-understanding"')]
    for word in ("dot product", "\\cos", "\\theta", "\\varphi", "jvp", "\\lVert", "eigen", "vector"):
        assert word not in html, word


def test_pages_link_their_technical_terms_to_the_glossary():
    home, chapter = HOME.read_text(), CHAPTER.read_text()
    for anchor in ("relu", "he-initialization", "batch-normalization", "residual-connection", "lstm",
                   "log-scale", "order-of-magnitude", "seed", "layer", "hidden-layer", "unit"):
        assert f"glossary.md#{anchor})" in home, anchor
    for anchor in ("log-scale", "chain-rule", "sigmoid", "eigenvalue", "layer", "tangent", "curvature",
                   "pre-activation"):
        assert f"glossary.md#{anchor})" in chapter, anchor


def test_glossary_has_every_term_the_chapter_links():
    glossary = (PROJECT / "docs" / "glossary.md").read_text()
    anchors = {re.sub(r"[^a-z0-9]+", "-", h.lower()).strip("-") for h in re.findall(r"^## (.+)$", glossary, re.M)}
    for page in (CHAPTER, HOME):
        for anchor in re.findall(r"glossary\.md#([a-z0-9-]+)", page.read_text()):
            assert anchor in anchors, f"{page.name}: glossary has no '{anchor}'"


@pytest.mark.browser
def test_chapter_quiz_can_be_answered_with_the_keyboard(browser, served_site):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(served_site + "/gradients-drive-learning/")
        page.wait_for_load_state("networkidle")
        quizzes = page.locator(".quiz")
        assert quizzes.count() >= 5

        first = quizzes.nth(0)  # answers are shuffled: walk to the right one with the arrow keys
        radios = first.locator("input[type=radio]")
        assert not first.locator(".quiz-feedback").is_visible()
        radios.first.focus()
        page.keyboard.press("Space")
        assert radios.first.is_checked()
        for _ in range(radios.count()):
            if first.locator("input[data-correct]").is_checked():
                break
            page.keyboard.press("ArrowDown")
        assert first.locator("input[data-correct]").is_checked()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # Submit
        feedback = first.locator(".quiz-feedback")
        feedback.wait_for(state="visible", timeout=5_000)
        assert first.locator(".quiz-feedback-item.correct").count() == 1
        assert "The answer is" in first.locator("section.content").inner_text()

        second = quizzes.nth(1)  # a wrong answer by keyboard: told so, and shown the right one
        wrong = second.locator("input:not([data-correct])").first
        wrong.focus()
        page.keyboard.press("Space")
        assert wrong.is_checked()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        second.locator(".quiz-feedback").wait_for(state="visible", timeout=5_000)
        assert second.locator(".quiz-feedback-item.incorrect").count() == 1
        assert second.locator("div.wrong > input").count() == 1
        assert second.locator("div.correct > input[data-correct]").count() == 1
        assert "steepest way" in second.locator("section.content").inner_text()
        assert errors == []
    finally:
        context.close()
