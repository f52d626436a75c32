"""`make figures`: deterministic, incremental, and safe when a script fails."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import PROJECT, run_figures
from vanishing import outputs, runner

pytestmark = pytest.mark.slow


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


@pytest.mark.rerun
def test_a_second_run_gives_byte_identical_files(figures_rerun, figures_dir):
    """Every script rerun from scratch in another process (started in the background when
    the test session began, see conftest.py) writes exactly the files `make figures` wrote."""
    out, status, log = figures_rerun
    assert status == 0, log
    first, second = tree(figures_dir), tree(out)
    assert first.keys() == second.keys() and len(first) > 0
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def write_script(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    return path


GOOD = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        ax.plot([0, 1], [0, 1])
        out.figure("good_line", fig)
        out.number("answer", 42)
"""

BROKEN = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        out.figure("broken_line", fig)   # staged ...
        out.table("broken_line_table", "| a |\\n| - |\\n| 1 |")
        raise RuntimeError("deliberate failure half-way")
"""


@pytest.fixture
def scratch(tmp_path):
    scripts, out = tmp_path / "scripts", tmp_path / "figures"
    scripts.mkdir()
    write_script(scripts, "good_line", GOOD)
    return scripts, out


def test_a_failing_script_is_named_and_leaves_nothing_half_written(scratch):
    scripts, out = scratch
    write_script(scripts, "broken_line", BROKEN)
    result = run_figures("--scripts", str(scripts), "--out", str(out))
    assert result.returncode != 0
    assert "FAILED" in result.stderr and "broken_line.py" in result.stderr
    assert "deliberate failure half-way" in result.stderr
    assert (out / "good_line.svg").exists(), "the other scripts still run"
    leftovers = [p.name for p in out.rglob("*") if p.is_file() and "broken" in p.name]
    assert leftovers == []
    staging = out / ".cache" / "staging"
    assert not staging.exists() or not any(staging.iterdir())
    # A failed script is retried next time, and still fails.
    again = run_figures("--scripts", str(scripts), "--out", str(out))
    assert again.returncode != 0 and "broken_line.py" in again.stderr


def test_only_changed_scripts_rerun_and_a_noop_skips_jax(scratch):
    scripts, out = scratch
    write_script(scripts, "other_line", GOOD.replace("good_line", "other_line"))
    first = run_figures("--scripts", str(scripts), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "good_line.py" in first.stdout and "other_line.py" in first.stdout
    noop = run_figures("--scripts", str(scripts), "--out", str(out))
    assert "up to date" in noop.stdout and ".py (" not in noop.stdout
    write_script(scripts, "other_line", GOOD.replace("good_line", "other_line").replace("[0, 1])", "[1, 0])"))
    rerun = run_figures("--scripts", str(scripts), "--out", str(out))
    assert "other_line.py" in rerun.stdout and "good_line.py" not in rerun.stdout
    # A deleted output is regenerated.
    (out / "good_line.svg").unlink()
    regen = run_figures("--scripts", str(scripts), "--out", str(out))
    assert "good_line.py" in regen.stdout and (out / "good_line.svg").exists()


def test_numbers_of_all_scripts_land_in_one_yaml_file(scratch):
    import yaml

    scripts, out = scratch
    assert run_figures("--scripts", str(scripts), "--out", str(out)).returncode == 0
    assert yaml.safe_load((out / "numbers.yml").read_text()) == {"numbers": {"good_line": {"answer": 42}}}


CORES_SEEN = """
    import os
    def build(out):
        out.number("cores", len(os.sched_getaffinity(0)))
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs a machine with two cores")
def test_every_script_runs_on_one_core_in_the_pool_and_alone(tmp_path):
    """JAX splits a computation over the process's cores, and the split changes the last
    bits of sums (chaotic runs then end elsewhere): one core per script keeps the numbers
    the same on every machine. Two stale scripts go to the pool, one runs in the runner."""
    import yaml

    scripts, out = tmp_path / "scripts", tmp_path / "figures"
    scripts.mkdir()
    for name in ("cores_a", "cores_b"):
        write_script(scripts, name, CORES_SEEN)
    assert run_figures("--scripts", str(scripts), "--out", str(out)).returncode == 0
    seen = yaml.safe_load((out / "numbers.yml").read_text())["numbers"]
    assert seen == {"cores_a": {"cores": 1}, "cores_b": {"cores": 1}}
    assert run_figures("--scripts", str(scripts), "--out", str(out), "--force", "cores_a").returncode == 0
    assert yaml.safe_load((out / "numbers.yml").read_text())["numbers"]["cores_a"] == {"cores": 1}


def test_removed_scripts_take_their_outputs_with_them(scratch):
    scripts, out = scratch
    assert run_figures("--scripts", str(scripts), "--out", str(out)).returncode == 0
    (scripts / "good_line.py").unlink()
    assert run_figures("--scripts", str(scripts), "--out", str(out)).returncode == 0
    assert not (out / "good_line.svg").exists()


MISNAMED = """
    from vanishing import style
    def build(out):
        out.data("good_line_points", [1, 2])       # fine: starts with the script's name
        out.table("summary_table", "| a |\\n| - |\\n| 1 |")   # not fine
"""


def test_an_output_not_named_after_its_script_is_rejected_naming_the_script(scratch):
    scripts, out = scratch
    write_script(scripts, "misnamed", MISNAMED.replace("good_line_points", "misnamed_points"))
    result = run_figures("--scripts", str(scripts), "--out", str(out))
    assert result.returncode != 0
    assert "FAILED" in result.stderr and "misnamed.py" in result.stderr
    assert "scripts/misnamed.py writes 'tables/summary_table.md'" in result.stderr
    assert "must start with its script's name" in result.stderr
    assert not (out / "data" / "misnamed_points.json").exists(), "nothing of the failed script is kept"
    assert (out / "good_line.svg").exists()


def test_unknown_script_name_is_an_error():
    result = run_figures("no_such_figure")
    assert result.returncode == 2 and "no_such_figure" in result.stderr


def test_never_timed_scripts_that_train_are_scheduled_first(tmp_path):
    from vanishing.runner import expected_cost

    trains = write_script(tmp_path, "trains", "def build(out):\n    training.sgd_train  # a long run\n")
    measures = write_script(tmp_path, "measures", GOOD)
    assert expected_cost(trains) > expected_cost(measures)


def test_fast_compile_flags_keep_the_users_xla_flags_and_are_added_once(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_dump_to=/tmp/x --xla_backend_optimization_level=2")
    runner.use_fast_compile_flags()
    runner.use_fast_compile_flags()
    flags = os.environ["XLA_FLAGS"].split()
    # The user's own choice of a flag wins; the others are added once.
    assert flags == ["--xla_dump_to=/tmp/x", "--xla_backend_optimization_level=2",
                     *[f for f in runner.XLA_COMPILE_FLAGS if not f.startswith("--xla_backend_optimization_level")]]


def test_editing_the_library_reruns_the_scripts(tmp_path):
    """A figure depends on the library it imports: after a library edit nothing is up to date."""
    scripts, out = tmp_path / "scripts", tmp_path / "figures"
    shutil.copytree(PROJECT / "scripts" / "vanishing", scripts / "vanishing",
                    ignore=shutil.ignore_patterns("__pycache__"))
    write_script(scripts, "good_line", GOOD)
    env = {**os.environ, "PYTHONPATH": str(scripts)}  # the copy of the library, not the project's

    def run():  # from the copy's root: the runner checks it runs its own checkout's library
        return subprocess.run([sys.executable, "-m", "vanishing.runner", "--scripts", str(scripts), "--out", str(out)],
                              cwd=tmp_path, env=env, capture_output=True, text=True)

    assert run().returncode == 0
    assert "up to date" in run().stdout
    style = scripts / "vanishing" / "style.py"
    style.write_text(style.read_text() + "\n# an edit\n")
    again = run()
    assert again.returncode == 0 and "good_line.py (" in again.stdout, again.stdout + again.stderr


def test_write_atomic_leaves_the_old_file_whole_when_writing_fails(tmp_path, monkeypatch):
    """Simulate a crash half-way through writing: the reader still finds the old file."""
    target = tmp_path / "numbers.yml"
    target.write_text("old contents\n")

    def half_then_crash(self, text, *args, **kwargs):
        with open(self, "w") as f:
            f.write(text[: len(text) // 2])
        raise OSError("disk full, half-way")

    monkeypatch.setattr(Path, "write_text", half_then_crash)
    with pytest.raises(OSError, match="half-way"):
        outputs.write_atomic(target, "new contents that never arrive\n")
    monkeypatch.undo()
    assert target.read_text() == "old contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["numbers.yml"], "the half-written temporary file is gone too"

COVERING_LEGEND = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        ax.plot([0, 1], [0.95, 0.95], label="a line under the legend")
        ax.set(ylim=(0, 1))
        ax.legend(loc="upper right")
        out.figure("covering_legend", fig)
"""

HALF_LAYERS = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        ax.plot([1, 2, 3], [1, 2, 3])
        ax.set(xlabel="hidden layer $l$", xticks=[1, 1.5, 2, 2.5, 3])
        out.figure("half_layers", fig)
"""


COVERED_BARS = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        ax.bar([0, 1, 2], [1, 1, 10], label="a histogram")
        ax.legend(loc="upper right")
        out.figure("covered_bars", fig)
"""

CROWDED_ON_A_PHONE = """
    from vanishing import style
    def build(out):
        fig, axes = style.figure(1, 5)  # fits 6.4 inches, not the phone's 3.6
        for ax in axes:
            ax.plot([0, 1], [0, 1000000])
            ax.set(ylabel="a long label\\nin two lines")
        out.figure("crowded_on_a_phone", fig)
"""

SQUASHED_PLOT = """
    from vanishing import style
    def build(out):
        fig, (top, bottom) = style.figure(2, 1)
        top.plot([0, 1], [0, 1])
        for k in range(26):
            bottom.plot([0, 1], [k, k], label=f"line {k}")
        style.legend_below(bottom, ncols=1)  # 26 entries: the plots keep 2% of the height each
        out.figure("squashed_plot", fig)
"""

TEXT_PAST_THE_EDGE = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        ax.plot([0, 10], [0, 1])
        ax.annotate("a label that starts near the right edge", xy=(9, 0.5))
        out.figure("text_past_the_edge", fig)
"""

LEGEND_OVER_LABELS = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        ax.plot([0, 10], [0, 0.1])
        ax.set(ylim=(0, 1))
        ax.plot([], [], label="a legend entry long enough to run past the left edge of the axes, onto the tick labels")
        ax.legend(loc="upper right")
        out.figure("legend_over_labels", fig)
"""

OVERLAPPING_LABELS = """
    from vanishing import style
    def build(out):
        fig, ax = style.figure()
        ax.plot([0, 9], [0, 1])
        ax.set_xticks(range(10), labels=[f"tick label {k}" for k in range(10)])
        out.figure("overlapping_labels", fig)
"""


@pytest.mark.parametrize("name, body, message", [
    ("covering_legend", COVERING_LEGEND, "the legend of axes '' covers a line under the legend"),
    ("covered_bars", COVERED_BARS, "the legend of axes '' covers Rectangle"),
    ("half_layers", HALF_LAYERS, "axis 'hidden layer $l$' ticks at [1.5, 2.5]: use whole numbers"),
    ("crowded_on_a_phone", CROWDED_ON_A_PHONE, "figure crowded_on_a_phone.phone.svg: the axes do not fit the canvas"),
    ("squashed_plot", SQUASHED_PLOT, "figure squashed_plot.svg: axes '' are squashed to"),
    ("text_past_the_edge", TEXT_PAST_THE_EDGE,
     "text 'a label that starts near the right edge' runs past the edge of axes ''"),
    ("overlapping_labels", OVERLAPPING_LABELS,
     "figure overlapping_labels.svg: labels overlap: 'tick label 0' and 'tick label 1'"),
    ("legend_over_labels", LEGEND_OVER_LABELS, "figure legend_over_labels.svg: the legend of axes '' covers the labels '1.0'"),
])
def test_a_flawed_layout_fails_the_script(tmp_path, name, body, message):
    scripts, out = tmp_path / "scripts", tmp_path / "figures"
    scripts.mkdir()
    write_script(scripts, name, body)
    result = run_figures("--scripts", str(scripts), "--out", str(out))
    assert result.returncode != 0 and f"{name}.py" in result.stderr
    assert message in result.stderr
    assert not (out / f"{name}.svg").exists()


TINY_COMPILE = "import jax, jax.numpy as jnp; jax.jit(lambda v: jnp.sin(v) * 3)(jnp.arange(3.0)).block_until_ready()"


def cache_entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_figure_scripts_keep_even_their_quickest_compilations(tmp_path):
    """A compilation of a few milliseconds is written to the persistent cache too: most of
    ours are that small, and the workers and notebook kernels share them (JAX keeps only
    those over 1 s by default)."""
    start = (f"from pathlib import Path; from vanishing import runner; "
             f"runner.PROJECT_DIR = Path({str(tmp_path)!r}); runner.start_jax(); ")
    subprocess.run([sys.executable, "-c", start + TINY_COMPILE], check=True, capture_output=True)
    assert cache_entries(tmp_path / ".cache" / "jax") != []


def test_notebook_kernels_keep_their_compilations_as_the_scripts_do(tmp_path):
    """The kernel's environment carries the runner's cache options under the names JAX reads
    (a misspelt option would be ignored without a word)."""
    from vanishing import notebooks

    env = notebooks.kernel_env(tmp_path / "jax", runner.PERSISTENT_CACHE)
    subprocess.run([sys.executable, "-c", TINY_COMPILE], check=True, capture_output=True, env=env)
    assert cache_entries(tmp_path / "jax") != []
    default = notebooks.kernel_env(tmp_path / "default", {})
    subprocess.run([sys.executable, "-c", TINY_COMPILE], check=True, capture_output=True, env=default)
    assert cache_entries(tmp_path / "default") == [], "JAX's default keeps no quick compilation"
