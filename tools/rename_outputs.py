"""Rename generated outputs so that every file's name starts with its script's name.

One-off migration (issue 14), kept so that the same mapping can be applied to branches
that still use the old names: `python tools/rename_outputs.py [folder ...]` rewrites, in
the given folders (default: scripts docs tests), every reference to an old output name,
both in `out.figure/data/table("old"...)` calls and in paths such as
`figures/tables/old.md`. Running it twice changes nothing the second time.
"""

import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# old output stem -> new output stem (the script that writes it in the comment)
MAPPING = {
    "adding_problem_results": "adding_problem_training_results",          # adding_problem_training.py
    "adding_problem_setup": "adding_problem_training_setup",              # adding_problem_training.py
    "batchnorm_gradients": "batchnorm_preactivations_gradients",          # batchnorm_preactivations.py
    "batchnorm_setup": "batchnorm_preactivations_setup",                  # batchnorm_preactivations.py
    "exploding_growth_factors": "exploding_gradients_growth_factors",     # exploding_gradients.py
    "explorer": "explorer_data",                                          # explorer_data.py (data/explorer_data.json)
    "explorer_preview": "explorer_data_preview",                          # explorer_data.py
    "layer_shrink_factors": "gradient_flow_by_activation_shrink_factors", # gradient_flow_by_activation.py
    "init_variance_setup": "init_variance_per_layer_setup",               # init_variance_per_layer.py
    "dead_relu_fraction": "relu_vs_sigmoid_dead_fraction",                # relu_vs_sigmoid.py
    "residual_gradient_setup": "residual_gradient_flow_setup",            # residual_gradient_flow.py
}

SUFFIXES = (".py", ".md", ".js", ".ipynb", ".yml", ".html", ".txt")


def patterns(old: str):
    """A call that names the output, or a path to the output file (name + extension)."""
    yield re.compile(rf"""(\bout\.(?:figure|data|table)\(\s*["']){re.escape(old)}(["'])"""), rf"\g<1>{{new}}\g<2>"
    yield re.compile(rf"""(?<![\w-]){re.escape(old)}(\.(?:svg|json)\b)"""), rf"{{new}}\g<1>"
    yield re.compile(rf"""(tables/){re.escape(old)}(\.md\b)"""), rf"\g<1>{{new}}\g<2>"  # not pages: explorer.md
    yield re.compile(rf"""(Figure \d+ \(){re.escape(old)}(\))"""), rf"\g<1>{{new}}\g<2>"  # docstrings


def rewrite(text: str) -> str:
    for old, new in MAPPING.items():
        for pattern, replacement in patterns(old):
            text = pattern.sub(replacement.replace("{new}", new), text)
    return text


def main(folders) -> int:
    changed = []
    for folder in folders:
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and not path.is_symlink() and "figures" not in path.relative_to(PROJECT).parts[:2]:
                text = path.read_text()
                new = rewrite(text)
                if new != text:
                    path.write_text(new)
                    changed.append(path.relative_to(PROJECT).as_posix())
    print("\n".join(changed) or "nothing to rename")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["scripts", "docs", "tests"]))
