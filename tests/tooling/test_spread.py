"""lesson-spread (lesson_book.cli.spread and .spread_table): hidden checks rewritten into records, a tiny notebook run with seeds, the code a record ran, and the table."""

from __future__ import annotations

import json

import pytest

from lesson_book.cli import spread, spread_table


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
    page = spread_table.report_markdown(records)
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
    row = spread_table.gather(records)[0][("lessons/x.md", "above")]
    assert row.bound() == "0 (difference)"
    assert row.quantity() == pytest.approx((-0.005, 0.01))
    assert min(row.slacks()) == pytest.approx(-0.005)


def test_a_chain_with_two_varying_sides_shows_its_margin_and_no_single_range():
    records = [
        {"notebook": "lessons/x.md", "backend": "tensorflow", "seed": s, "machine": "m",
         "checks": [{"name": "between", "ops": ["<", "<"], "values": [0.01, a, b], "held": 0.01 < a < b}]}
        for s, (a, b) in enumerate([(0.029, 0.041), (0.02, 0.05)])
    ]
    (line,) = [line for line in spread_table.report_markdown(records).splitlines() if "`between`" in line]
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


def _tiny(tiny_book, myst_header, myst_cell, code="x = 1", prose="Some text.\n"):
    path = tiny_book / "lessons" / "now.md"
    path.write_text(myst_header + prose + myst_cell(code) + myst_cell("assert x < 2  # spread: kept", tags="remove-cell"))
    return path


def test_the_code_fingerprint_follows_the_code_not_the_prose_or_comments(tiny_book, myst_header, myst_cell):
    first = spread.code_fingerprint(_tiny(tiny_book, myst_header, myst_cell), tiny_book)
    reworded = spread.code_fingerprint(_tiny(tiny_book, myst_header, myst_cell, prose="Other words.\n"), tiny_book)
    commented = spread.code_fingerprint(
        _tiny(tiny_book, myst_header, myst_cell, code="# the value\n\nx = 1  # one"), tiny_book)
    recoded = spread.code_fingerprint(_tiny(tiny_book, myst_header, myst_cell, code="x = 1.5"), tiny_book)
    assert first == reworded == commented
    assert recoded != first
    assert len(first) == 16 and int(first, 16) >= 0


def test_comments_go_but_a_hash_sign_in_a_string_stays():
    source = "# set up\nx = '#1'  # a label\n\n%pip install y\ny = x  # spread: name"
    assert spread.without_comments(source) == "x = '#1'\n%pip install y\ny = x"
    assert spread.without_comments("!ls 'open") == "!ls 'open", "not Python: as it is"


def test_a_tiny_notebook_s_record_names_the_code_it_ran(tiny_book, myst_header, myst_cell):
    notebook = _tiny(tiny_book, myst_header, myst_cell)
    record = spread.run_one(notebook, 0, root=tiny_book)
    assert record["code"] == spread.code_fingerprint(notebook, tiny_book)
    assert [check["name"] for check in record["checks"]] == ["kept"]


def test_records_of_earlier_code_are_counted_and_left_out_of_the_table():
    def record(seed, code, value):
        return {"notebook": "lessons/x.md", "backend": "tensorflow", "seed": seed, "machine": "m", "code": code,
                "checks": [{"name": "kept", "ops": ["<"], "values": [value, 2.0], "held": value < 2}]}

    records = [record(0, "new", 1.0), record(1, "new", 1.5), record(2, "old", 2.5), record(3, None, 0.1)]
    page = spread_table.report_markdown(records, {"lessons/x.md": "new"})
    (line,) = [line for line in page.splitlines() if "`kept`" in line]
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert cells[4:9] == ["1", "1.5", "0.5", "2", "–"], "only the two runs of the current code"
    assert "tensorflow, 2 seeds (0–1)" in page
    assert "2 runs of earlier code of a notebook are left out" in page
    gone = spread_table.report_markdown(records, {})
    assert "4 runs of earlier code" in gone and "`kept`" not in gone, "a notebook no longer in the book"


def test_run_skips_records_of_the_current_code_and_runs_earlier_code_again(
        tiny_book, myst_header, myst_cell, tmp_path, monkeypatch):
    monkeypatch.setattr(spread, "ROOT", tiny_book)
    ran = []

    def fake_run(path, seed, root):
        ran.append(seed)
        return {"notebook": "lessons/now.md", "backend": "tensorflow", "seed": seed,
                "code": spread.code_fingerprint(path, root), "checks": []}

    monkeypatch.setattr(spread, "run_one", fake_run)
    notebook, records = _tiny(tiny_book, myst_header, myst_cell), tmp_path / "records"
    arguments = ["run", str(notebook), "--seeds", "0-1", "--records", str(records)]
    assert spread.main(arguments) == 0 and ran == [0, 1]
    assert spread.main(arguments) == 0 and ran == [0, 1], "records of this code: nothing to run"
    assert spread.main([*arguments, "--again"]) == 0 and ran == [0, 1, 0, 1]
    _tiny(tiny_book, myst_header, myst_cell, code="x = 0.5")
    assert spread.main(arguments) == 0 and ran == [0, 1, 0, 1, 0, 1], "the code changed: run again"


def test_every_check_on_the_book_s_spread_page_is_named_by_its_spread_label():
    records = spread_table.read_records(spread.RECORDS)
    fingerprints = spread.current_code(records)
    rows = [line for line in spread_table.report_markdown(records, fingerprints).splitlines() if line.startswith("| ")][1:]
    assert len(rows) > 50, "the records of the book's training notebooks are committed"
    labels = {name: set(spread.LABEL.findall((spread.ROOT / name).read_text())) for name in fingerprints}
    unnamed = [row for row in rows
               if row.split("|")[2].strip(" `") not in labels[f"lessons/{row.split('|')[1].strip()}.md"]]
    assert not unnamed, "give these checks the '# spread: NAME' comment their row has: " + "; ".join(unnamed)
