"""The "Diagnose this run" gallery: every mystery run shows its signature, in every seed,
and the page's answer for run k names what scripts/diagnose_runs.py did in run k."""

import json
import math
import re

import pytest

from conftest import PROJECT

GUESS = math.log(10)
PAGE = PROJECT / "docs" / "diagnose.md"
# The quiz option that names each run's cause (the same six options under every run).
OPTIONS = {
    "vanishing": "Vanishing gradients: the early layers barely learn",
    "tiny_lr": "The learning rate is far too small for this network",
    "dead_relu": "Dead ReLUs: many units output 0 for every input",
    "exploding": "Exploding gradients: the early layers get huge updates",
    "saturating": "Saturating initialization: weights far too large",
    "healthy": "Nothing is wrong: this is a healthy training run",
}


@pytest.fixture(scope="module")
def runs(figures_dir) -> dict:
    return json.loads((figures_dir / "data" / "diagnose_runs.json").read_text())["runs"]


def test_there_are_six_runs_one_per_cause(runs):
    assert sorted(runs) == sorted(OPTIONS)
    assert sorted(r["run"] for r in runs.values()) == list(range(1, 7))


def test_vanishing_first_layer_gradient_is_below_a_thousandth_of_the_last(runs):
    run = runs["vanishing"]
    assert all(r < 1e-3 for r in run["grad_ratio"]), run["grad_ratio"]
    assert all(abs(loss - GUESS) < 0.1 for loss in run["final_loss"]), "the loss should stay at guessing"
    assert all(w < 1e-3 for w in run["weight_change_first"]), "the first layer should barely move"


def test_tiny_learning_rate_has_healthy_gradients_but_a_flat_loss(runs):
    run = runs["tiny_lr"]
    assert all(0.1 < r < 10 for r in run["grad_ratio"]), run["grad_ratio"]
    assert all(end > 0.9 * start and end > 2.0 for start, end in zip(run["start_loss"], run["final_loss"]))
    assert all(w < 1e-2 for w in run["weight_change_first"] + run["weight_change_last"])


def test_dead_relus_more_than_half_the_units_dead_and_no_gradient_left(runs):
    run = runs["dead_relu"]
    for dead in run["dead_per_layer"]:
        assert dead[-1] == 1.0, "the last hidden layer should be dead as a whole"
        assert sum(dead[-3:]) / 3 > 0.5, f"more than half of the top three layers' units should be dead: {dead}"
    assert all(g == 0 for g in run["hidden_grad_last_epoch_max"]), "hidden gradients should be exactly 0 at the end"
    assert all(abs(loss - GUESS) < 0.1 for loss in run["final_loss"])


def test_exploding_first_layer_gradient_is_over_a_hundred_times_the_last(runs):
    run = runs["exploding"]
    assert all(r > 100 for r in run["grad_ratio"]), run["grad_ratio"]
    assert all(w > 10 for w in run["weight_change_first"]), "the first layer's weights should be thrown about"


def test_saturating_initialization_starts_confidently_wrong_with_stuck_units(runs):
    run = runs["saturating"]
    assert all(loss > 3 * GUESS for loss in run["start_loss"]), run["start_loss"]
    assert all(f > 0.5 for f in run["flat_at_start"]), "most units should sit on a flat part of the sigmoid"
    assert all(w < 0.1 for w in run["weight_change_first"] + run["weight_change_last"])


def test_healthy_run_learns_in_every_layer(runs):
    run = runs["healthy"]
    assert all(0.1 < r < 10 for r in run["grad_ratio"]), run["grad_ratio"]
    assert all(end < 0.3 * GUESS for end in run["final_loss"]), run["final_loss"]
    assert all(w > 0.05 for w in run["weight_change_first"] + run["weight_change_last"])


def quizzes_by_run() -> dict[int, str]:
    sections = re.split(r"^## Run (\d+)\n", PAGE.read_text(), flags=re.M)
    return {int(number): body for number, body in zip(sections[1::2], sections[2::2])}


def test_the_page_answer_under_each_run_is_what_the_script_did(runs):
    by_run = quizzes_by_run()
    assert sorted(by_run) == list(range(1, 7))
    for name, run in runs.items():
        body = by_run[run["run"]]
        assert f"figures/diagnose_runs_{run['run']}.svg" in body
        quiz = re.search(r"<quiz>(.*?)</quiz>", body, re.S).group(1)
        options = re.findall(r"^- \[( |x)\] (.+)$", quiz, re.M)
        assert sorted(text for _, text in options) == sorted(OPTIONS.values()), "every run offers the same six causes"
        assert [text for mark, text in options if mark == "x"] == [OPTIONS[name]], f"run {run['run']} is {name}"


def test_the_mystery_is_not_given_away_before_the_answer():
    """Figure names, alt texts and captions describe the evidence, never the cause."""
    words = ("vanish", "dead", "explod", "saturat", "healthy", "learning rate")
    for number, body in quizzes_by_run().items():
        before_answer = body.split("<quiz>")[0].lower()
        assert not [w for w in words if w in before_answer], f"run {number} names its cause before the quiz"
