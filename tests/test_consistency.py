"""A number quoted in prose agrees with the table beside it.

When a page shows a script's table and also quotes one of that script's numbers, and the
table holds the same quantity (the number, before rounding, rounds to a cell), the quote
must read exactly like that cell: not "the best seed reaches 0.1" next to a table that
says 0.105. The runner keeps every number's unrounded value (manifest "exact_numbers").
"""

import json
import math
import re
import sys

import pytest
import yaml

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "hooks"))
import macros  # noqa: E402  (the filters pages use to print numbers)

pytestmark = pytest.mark.slow

NUMBER_REF = re.compile(r"\{\{\s*numbers\.(\w+)\.(\w+)\s*(?:\|\s*(\w+)(?:\((\d+)\))?)?\s*\}\}")
TABLE_REF = re.compile(r"""--8<--\s+["']figures/tables/([\w-]+)\.md["']""")
DECIMAL = re.compile(r"^-?\d+\.\d+$")


def filters() -> dict:
    collected = {}

    class Env:
        def filter(self, fn):
            collected[fn.__name__] = fn
            return fn

    macros.define_env(Env())
    return collected


def shown(value, name, digits, available=filters()) -> str:
    """The text a page prints for a number (plain, or through a filter)."""
    if name is None:
        return str(value)
    return available[name](value, int(digits)) if digits else available[name](value)


def decimals(text: str) -> int:
    return len(text.split(".")[1])


def disagreeing_cells(exact: float, quote: str, cells: list[str]) -> list[str]:
    """Cells that show the same quantity as the quote (the exact value rounds to them) differently."""
    if not DECIMAL.match(quote):
        return []
    return [cell for cell in cells if DECIMAL.match(cell) and len(cell.lstrip("-0.")) >= 2
            and math.isclose(round(exact, decimals(cell)), float(cell), rel_tol=1e-12)
            and not math.isclose(float(cell), float(quote), rel_tol=1e-12)]


def table_cells(markdown: str) -> list[str]:
    rows = [line for line in markdown.splitlines() if line.startswith("|")][2:]  # skip header, alignment
    return [cell.strip() for row in rows for cell in row.strip("|").split("|")]


def test_the_check_flags_a_differently_rounded_quote_and_nothing_else():
    assert disagreeing_cells(0.10512, "0.1", ["0.105", "0.2"]) == ["0.105"]
    assert disagreeing_cells(0.16289, "0.16", ["0.163", "0.182"]) == ["0.163"]
    assert disagreeing_cells(0.10512, "0.105", ["0.105"]) == []
    assert disagreeing_cells(0.1, "0.1", ["0.1296", "0.07776"]) == []  # another quantity


def test_quoted_numbers_agree_with_their_scripts_tables(figures_dir):
    numbers = yaml.safe_load((figures_dir / "numbers.yml").read_text())["numbers"]
    manifest = json.loads((figures_dir / ".cache" / "manifest.json").read_text())
    owner = {out: script for script, entry in manifest.items() for out in entry["outputs"]}
    problems = []
    for page in sorted((PROJECT / "docs").rglob("*.md")):
        text = page.read_text()
        tables: dict[str, list[str]] = {}
        for name in TABLE_REF.findall(text):
            script = owner.get(f"tables/{name}.md")
            if script:
                tables.setdefault(script, []).extend(table_cells((figures_dir / "tables" / f"{name}.md").read_text()))
        for script, key, name, digits in NUMBER_REF.findall(text):
            exact = manifest.get(script, {}).get("exact_numbers", {}).get(key)
            if script in tables and exact is not None:
                quote = shown(numbers[script][key], name or None, digits or None)
                for cell in disagreeing_cells(exact, quote, tables[script]):
                    problems.append(f"{page.name}: numbers.{script}.{key} shows {quote}, its table shows {cell}")
    assert problems == []
