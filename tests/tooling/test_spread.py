"""lesson-spread (lesson_book.cli.spread): hidden checks rewritten into records, a tiny notebook run with seeds, and the table."""

from __future__ import annotations

import json

import pytest

from lesson_book.cli import spread


def _recorded(source: str) -> list[dict]:
    """What the recorder notes when ``source``, instrumented, runs here."""
    namespace: dict = {}
    exec(spread._RECORDER_SOURCE, namespace)  # noqa: S102 - the recorder the kernel gets
    exec(spread.instrument(source, "cell 3"), namespace)  # noqa: S102
    return namespace[spread.RECORDER].checks


def test_a_comparison_records_both_sides_and_whether_it_held_without_raising():
    checks = _recorded("x = 0.97\nassert x > 0.98, x  # spread: accuracy\nassert 1 < x * 2 <= 2\n")
    assert checks == [
        {"name": "accuracy", "ops": [">"], "values": [0.97, 0.98], "held": False},
        {"name": "cell 3 line 3", "ops": ["<", "<="], "values": [1.0, 1.94, 2.0], "held": True},
    ]


def test_operands_are_evaluated_once_and_other_asserts_are_recorded_as_held_or_not():
    checks = _recorded(
        "calls = []\n"
        "def f():\n    calls.append(1)\n    return 3\n"
        "assert f() >= 3\n"
        "assert len(calls) == 1\n"
        "for v in (1, 2):\n    assert v in (1,)  # spread: member\n"
    )
    assert [c["held"] for c in checks] == [True, True, True, False]
    assert checks[2] == {"name": "member", "ops": [], "values": [], "held": True}


def test_comparisons_of_arrays_or_of_unlike_things_are_recorded_as_failing_not_raised():
    checks = _recorded(
        "import numpy as np\n"
        "assert np.arange(3) == np.arange(3)  # spread: array\n"
        "assert (1, 2) < [1, 2]  # spread: unlike\n"
        "assert np.float32(0.5) < 1  # spread: scalar\n"
    )
    assert [(c["name"], c["held"]) for c in checks] == [("array", False), ("unlike", False), ("scalar", True)]
    assert checks[2]["values"] == [0.5, 1.0]


def test_cells_with_magics_and_cells_without_asserts_are_left_as_they_are():
    assert spread.instrument("%pip install x\nassert 1 < 2", "cell 0") == "%pip install x\nassert 1 < 2"
    assert spread.instrument("x = 1  # a comment", "cell 0") == "x = 1  # a comment"


@pytest.mark.parametrize(
    ("text", "seeds"), [("0-3", [0, 1, 2, 3]), ("7", [7]), ("0,3, 5-6", [0, 3, 5, 6])]
)
def test_parse_seeds(text, seeds):
    assert spread.parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["", "a", "3-1", "-2", "1;2"])
def test_parse_seeds_refuses_what_is_not_a_list_of_seeds(text):
    with pytest.raises(ValueError, match="seeds"):
        spread.parse_seeds(text)


def _record(seed, accuracy, gap_ok=True, backend="tensorflow"):
    return {
        "notebook": "lessons/final-model.md", "backend": backend, "seed": seed, "machine": "a CPU, 2 cores",
        "checks": [
            {"name": "final-accuracy", "ops": [">="], "values": [accuracy, 0.99], "held": accuracy >= 0.99},
            {"name": "params", "ops": ["<", "<"], "values": [70000.0, 75000.0, 80000.0], "held": True},
            {"name": "gap", "ops": [], "values": [], "held": gap_ok},
        ],
    }


def test_the_table_gives_range_bound_margin_and_failures_and_counts_fixed_checks():
    records = [_record(0, 0.993), _record(1, 0.995), _record(2, 0.989, gap_ok=False, backend="jax")]
    records.append({"notebook": "lessons/final-model.md", "backend": "torch", "seed": 4, "error": "boom"})
    page = spread.report_markdown(records)
    lines = page.splitlines()
    accuracy = next(line for line in lines if "`final-accuracy`" in line)
    cells = [cell.strip() for cell in accuracy.strip("|").split("|")]
    assert cells == ["final-model", "`final-accuracy`", ">=", "0.99", "0.989", "0.995", "-0.001", "3",
                     "jax seed 2"]
    gap = next(line for line in lines if "`gap`" in line)
    assert "jax seed 2" in gap
    assert not any("`params`" in line for line in lines), "a check that never varies gets no row"
    assert "1 other checks" in page
    assert "torch seed 4: boom" in page
    assert "jax, 1 seeds (2–2)" in page and "tensorflow, 2 seeds (0–1)" in page


def test_both_sides_varying_is_tabulated_as_their_difference():
    records = [
        {"notebook": "lessons/x.md", "backend": "tensorflow", "seed": s, "machine": "m",
         "checks": [{"name": "above", "ops": [">"], "values": [v, t], "held": v > t}]}
        for s, (v, t) in enumerate([(0.99, 0.98), (0.97, 0.975)])
    ]
    row = spread.gather(records)[0][("lessons/x.md", "above")]
    assert row.bound() == "0 (difference)"
    assert row.quantity() == pytest.approx((-0.005, 0.01))
    assert min(row.slacks()) == pytest.approx(-0.005)


def test_a_chain_with_two_varying_sides_shows_its_margin_and_no_single_range():
    records = [
        {"notebook": "lessons/x.md", "backend": "tensorflow", "seed": s, "machine": "m",
         "checks": [{"name": "between", "ops": ["<", "<"], "values": [0.01, a, b], "held": 0.01 < a < b}]}
        for s, (a, b) in enumerate([(0.029, 0.041), (0.02, 0.05)])
    ]
    (line,) = [line for line in spread.report_markdown(records).splitlines() if "`between`" in line]
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert cells == ["x", "`between`", "< <", "0.01", "–", "–", "0.01", "2", "–"]


def test_a_tiny_notebook_runs_with_a_seed_and_its_checks_are_recorded(tiny_book, myst_header, myst_cell, tmp_path):
    notebook = tiny_book / "lessons" / "tiny.md"
    notebook.write_text(
        myst_header
        + myst_cell("import keras\nimport numpy as np\nkeras.utils.set_random_seed(1)\nvalue = np.random.random()")
        + myst_cell("assert value < 2  # spread: below-two\nassert value > 0.999", tags="remove-cell")
    )
    first = spread.run_one(notebook, 3, root=tiny_book)
    again = spread.run_one(notebook, 3, root=tiny_book)
    other = spread.run_one(notebook, 4, root=tiny_book)
    assert first["notebook"] == "lessons/tiny.md" and first["seed"] == 3 and "error" not in first
    names = [check["name"] for check in first["checks"]]
    assert names == ["below-two", "cell 1 line 2"]
    assert first["checks"][0]["held"] and first["checks"][0]["values"][1] == 2.0
    assert first["checks"] == again["checks"], "the same seed draws the same number"
    assert first["checks"][0]["values"] != other["checks"][0]["values"], "another seed draws another"
    target = spread.record_path(notebook, "tensorflow", 3, tmp_path / "records", root=tiny_book)
    assert target == tmp_path / "records" / "tensorflow" / "lessons--tiny--seed3.json"


def test_a_failing_cell_is_recorded_as_the_run_s_error(tiny_book, myst_header, myst_cell):
    notebook = tiny_book / "lessons" / "broken.md"
    notebook.write_text(myst_header + myst_cell("raise RuntimeError('no data here')"))
    record = spread.run_one(notebook, 0, root=tiny_book)
    assert "no data here" in record["error"] and "checks" not in record


def test_run_and_report_from_the_command_line(tiny_book, myst_header, myst_cell, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setattr(spread, "ROOT", tiny_book)
    notebook = tiny_book / "lessons" / "tiny.md"
    notebook.write_text(
        myst_header
        + myst_cell("import numpy as np\nimport keras\nkeras.utils.set_random_seed(0)\nv = np.random.random()")
        + myst_cell("assert v > 0.5  # spread: half", tags="remove-cell")
    )
    records = tmp_path / "records"
    status = spread.main(["run", str(notebook), "--seeds", "0-2", "--records", str(records)])
    held = [json.loads(p.read_text())["checks"][0]["held"] for p in sorted(records.rglob("*.json"))]
    assert len(held) == 3
    assert status == (0 if all(held) else 1)
    page = tmp_path / "spread.md"
    assert spread.main(["report", "--records", str(records), "--page", str(page)]) == 0
    assert "`half`" in page.read_text() and "tensorflow, 3 seeds (0–2)" in page.read_text()


def test_the_notebooks_run_by_default_are_those_of_the_book_that_train_a_model():
    found = [path.relative_to(spread.ROOT).as_posix() for path in spread.training_notebooks()]
    assert "lessons/final-model.md" in found and "lessons/mnist-exercise.md" in found
    assert "lessons/cnn-architecture.md" not in found, "it trains nothing: its checks do not vary"
    assert "pages/setup.md" not in found
    assert all(".fit(" in (spread.ROOT / path).read_text() for path in found)


def test_rows_of_checks_a_notebook_no_longer_holds_are_left_out(tiny_book, myst_header, myst_cell):
    (tiny_book / "lessons" / "now.md").write_text(
        myst_header + myst_cell("x = 1") + myst_cell("assert x < 2  # spread: kept", tags="remove-cell")
    )
    checks = [{"name": name, "ops": ["<"], "values": [v, 2.0], "held": True}
              for name, v in (("kept", 1.0), ("dropped", 1.5))]
    records = [{"notebook": "lessons/now.md", "backend": "tensorflow", "seed": s, "machine": "m",
                "checks": [dict(c, values=[c["values"][0] + s / 10, 2.0]) for c in checks]} for s in (0, 1)]
    page = spread.report_markdown(records, root=tiny_book)
    assert "`kept`" in page and "`dropped`" not in page
    assert "1 checks recorded by earlier runs are no longer in the notebooks" in page
    assert spread.check_names(tiny_book / "lessons" / "now.md", tiny_book) == {"kept"}
