"""The benchmark's pure parts: reading the table of contents and the notebooks'
printed figures, converting memory units, judging targets and drawing tables.
(Running the benchmark itself is `make bench`, never part of the tests.)"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench"] = bench
_spec.loader.exec_module(bench)

NOTEBOOK_HEADER = """---
jupytext:
  text_representation:
    extension: .md
kernelspec:
  display_name: Python 3
  language: python
  name: python3
title: "An episode"
---

Text.
"""


# --- the table of contents ------------------------------------------------------


def test_toc_files_lists_root_parts_chapters_and_sections_in_order():
    toc = {
        "format": "jb-book",
        "root": "intro",
        "parts": [
            {"caption": "Episodes", "chapters": [
                {"file": "lessons/a"},
                {"file": "lessons/b", "sections": [{"file": "lessons/b1"}]},
            ]},
            {"caption": "Reference", "chapters": [{"file": "pages/glossary"}]},
        ],
    }
    assert bench.toc_files(toc) == [
        "intro", "lessons/a", "lessons/b", "lessons/b1", "pages/glossary"
    ]
    assert bench.toc_files({"root": "intro", "chapters": [{"file": "x"}]}) == ["intro", "x"]


def test_toc_files_rejects_what_is_not_a_toc():
    with pytest.raises(TypeError, match="toc must be a mapping.*list"):
        bench.toc_files(["intro"])
    with pytest.raises(ValueError, match="parts must be a list.*'Episodes'"):
        bench.toc_files({"root": "intro", "parts": "Episodes"})
    with pytest.raises(ValueError, match="an entry of chapters must be a mapping.*'lessons/a'"):
        bench.toc_files({"root": "intro", "chapters": ["lessons/a"]})


def test_notebooks_in_toc_keeps_only_notebooks_in_toc_order(tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "intro.md").write_text("# Welcome\n")
    (tmp_path / "lessons" / "b.md").write_text(NOTEBOOK_HEADER)
    (tmp_path / "lessons" / "a.md").write_text(NOTEBOOK_HEADER)
    (tmp_path / "lessons" / "unlisted.md").write_text(NOTEBOOK_HEADER)
    (tmp_path / "pages" / "glossary.md").write_text("---\ntitle: Glossary\n---\n# G\n")
    (tmp_path / "_toc.yml").write_text(
        "root: intro\nparts:\n"
        "  - caption: Episodes\n    chapters:\n"
        "      - file: lessons/b\n      - file: lessons/a.md\n"
        "  - caption: Reference\n    chapters:\n      - file: pages/glossary\n"
    )
    assert bench.notebooks_in_toc(tmp_path) == [Path("lessons/b.md"), Path("lessons/a.md")]


def test_the_books_own_toc_lists_the_exercise_notebook():
    found = bench.notebooks_in_toc(ROOT)
    assert Path(bench.EXERCISE) in found
    assert all(bench.is_notebook(ROOT / path) for path in found)
    assert not bench.is_notebook(ROOT / "pages" / "glossary.md")


# --- what the notebooks print -----------------------------------------------------


def test_parse_outputs_reads_fits_final_fit_and_the_last_test_accuracy():
    texts = [
        "Epoch 1/3\n...\nFit time: 26.1 s\n",
        "Test accuracy: 0.9571\n",
        "Fit time: 9 s\nsome other line\nFit time (final model): 152.3 s\n",
        "Test accuracy: 0.9935\n",
    ]
    printed = bench.parse_outputs(texts)
    assert printed.fit_s == [26.1, 9.0]
    assert printed.final_fit_s == 152.3
    assert printed.test_accuracy == 0.9935


def test_parse_outputs_ignores_lines_that_only_look_alike():
    texts = ["Validation: Test accuracy: 0.5\n", "Fit time: fast\n", "Fit time: 3 minutes\n"]
    assert bench.parse_outputs(texts) == bench.Printed()


def test_parse_outputs_rejects_impossible_accuracy_and_non_text():
    with pytest.raises(ValueError, match="at most 1, got 98.8"):
        bench.parse_outputs(["Test accuracy: 98.8\n"])
    with pytest.raises(TypeError, match="texts must hold strings, got 3"):
        bench.parse_outputs([3])


# --- memory -----------------------------------------------------------------------


def test_maxrss_is_kibibytes_on_linux_and_bytes_on_macos():
    assert bench.maxrss_mib(1_048_576, "linux") == 1024.0
    assert bench.maxrss_mib(1_048_576, "darwin") == 1.0
    with pytest.raises(ValueError, match="platform_name 'win32'"):
        bench.maxrss_mib(1, "win32")
    with pytest.raises(ValueError, match="ru_maxrss.*-1"):
        bench.maxrss_mib(-1, "linux")
    with pytest.raises(ValueError, match="ru_maxrss.*'12'"):
        bench.maxrss_mib("12", "linux")


def test_read_probe_prefers_vmhwm_and_falls_back_on_maxrss():
    linux = '{"vmhwm_kib": 2097152, "maxrss": 1, "platform": "linux", "cpu_s": 12.5}'
    assert bench.read_probe(linux) == (2048.0, 12.5)
    no_proc = '{"vmhwm_kib": null, "maxrss": 3145728, "platform": "linux", "cpu_s": 1}'
    assert bench.read_probe(no_proc) == (3072.0, 1)
    mac = '{"vmhwm_kib": null, "maxrss": 1048576, "platform": "darwin"}'
    assert bench.read_probe(mac) == (1.0, None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("oops", ["text must be the probe's JSON", "'oops'"]),
        ('{"maxrss": 1}', ["text must be the probe's JSON"]),
        ("[1, 2]", ["text must be the probe's JSON"]),
        ('{"vmhwm_kib": "12", "maxrss": 1, "platform": "linux"}', ["vmhwm_kib", "'12'"]),
        ('{"vmhwm_kib": 1, "maxrss": 1, "platform": "linux", "cpu_s": "2"}', ["cpu_s", "'2'"]),
    ],
)
def test_read_probe_rejects_what_the_probe_does_not_print(text, words):
    with pytest.raises(ValueError) as raised:
        bench.read_probe(text)
    for word in words:
        assert word in str(raised.value)


def test_the_probe_measures_the_process_it_runs_in():
    """Run here in a fresh Python, the probe reports that small process's own
    peak, not that of this (larger) test process which started it."""
    ballast = bytearray(300 * 2**20)  # make this process large before forking
    ballast[::4096] = b"x" * len(ballast[::4096])
    done = subprocess.run([sys.executable, "-c", bench._PROBE_CODE],
                          capture_output=True, text=True, check=True)
    del ballast
    if not (sys.platform.startswith("linux") or sys.platform == "darwin"):
        pytest.skip("ru_maxrss units are known for Linux and macOS only")
    if not Path("/proc/self/status").exists():
        pytest.skip("without /proc, ru_maxrss may count the parent's memory")
    peak, cpu = bench.read_probe(done.stdout)
    assert 5 < peak < 200  # MiB
    assert 0 < cpu < 10


# --- the plain-script version of a notebook --------------------------------------


def test_script_from_cells_keeps_code_and_disables_magics():
    cells = [
        "try:\n    import x\nexcept ImportError:\n    %pip install --quiet x",
        "!ls\nprint('hi')",
    ]
    script = bench.script_from_cells(cells)
    assert "    pass  # %pip install --quiet x" in script
    assert "pass  # !ls\nprint('hi')" in script
    assert script.index("# --- cell 0 ---") < script.index("# --- cell 1 ---")
    compile(script, "script", "exec")  # valid Python


def test_the_exercise_runs_as_a_script_only_from_its_own_cells():
    jupytext = pytest.importorskip("jupytext")
    notebook = jupytext.read(ROOT / bench.EXERCISE, fmt="md:myst")
    sources = [c.source for c in notebook.cells if c.cell_type == "code"]
    script = bench.script_from_cells(sources)
    compile(script, bench.EXERCISE, "exec")
    assert "model.fit(" in script and "%pip" not in script.replace("# %pip", "")


# --- targets and tables -----------------------------------------------------------


def test_checks_pass_at_the_limit_and_are_over_above_it():
    assert bench.Check("notebook", 120.0, 120.0).status == "PASS"
    assert bench.Check("notebook", 120.1, 120.0).status == "OVER"
    assert bench.Check("final fit", None, 180.0).status == "n/a"


def test_notebook_checks_use_the_targets_and_the_slowest_ordinary_fit():
    targets = {"notebook_s": 100, "fit_s": 10, "final_fit_s": 50, "peak_mib": 1000}
    result = {"wall_s": 90.0, "fit_s": [4.0, 11.0], "final_fit_s": 49.0, "peak_mib": 1200.0}
    checks = bench.notebook_checks(result, targets)
    assert [(c.what, c.measured, c.status) for c in checks] == [
        ("notebook", 90.0, "PASS"),
        ("fit", 11.0, "OVER"),
        ("final fit", 49.0, "PASS"),
        ("memory", 1200.0, "OVER"),
    ]
    assert bench.verdict(checks) == "OVER: fit, memory"
    assert bench.verdict(checks[:1]) == "PASS"
    assert bench.verdict(checks, error="cell #3: boom") == "ERROR: cell #3: boom"


def test_targets_are_the_ones_the_book_promises():
    assert bench.TARGETS == {
        "notebook_s": 120.0, "fit_s": 60.0, "final_fit_s": 180.0,
        "peak_mib": 1536.0, "clean_build_s": 480.0, "rebuild_s": 30.0,
    }


def test_format_table_aligns_numbers_right_and_text_left():
    table = bench.format_table(["name", "s"], [["a", 1.5], ["long name", None], ["b", 12.25]])
    lines = table.splitlines()
    assert lines[0] == "| name      |     s |"
    assert lines[1] == "|-----------|------:|"
    assert lines[2] == "| a         |   1.5 |"
    assert lines[3] == "| long name |     – |"
    assert lines[4] == "| b         | 12.25 |"
    with pytest.raises(ValueError, match=r"every row must have 2 cells.*\['name', 's'\]"):
        bench.format_table(["name", "s"], [["a"]])


def test_notebook_rows_show_each_measurement_and_the_verdict():
    result = {
        "notebook": "lessons/x.md", "wall_s": 130.04, "slowest_cell": (7, 61.23),
        "peak_mib": 900.4, "fit_s": [20.0, 61.2], "final_fit_s": None,
        "test_accuracy": 0.98812,
    }
    headers, rows = bench.notebook_rows([result])
    assert len(headers) == len(rows[0])
    assert rows[0] == ["lessons/x.md", 130.0, "#7: 61.2 s", 900.0, 2, 61.2, None, "0.9881",
                       "OVER: notebook, fit"]


def test_book_rows_judge_the_build_and_report_the_ratios():
    build = {"clean_s": 400.0, "clean_exit": 0, "rebuild_s": 31.0, "rebuild_exit": 0}
    exercise = {"notebook": "lessons/e.md", "notebook_s": 60.0, "notebook_cpu_s": 80.0,
                "script_s": 50.0, "script_cpu_s": 64.0, "ratio": 1.2, "cpu_ratio": 1.25}
    headers, rows = bench.book_rows(build, exercise)
    assert all(len(row) == len(headers) for row in rows)
    assert [row[-1] for row in rows] == ["PASS", "OVER", "reported", "reported", "ratio"]
    assert rows[2][1:3] == [60.0, 80.0] and rows[3][1:3] == [50.0, 64.0]
    assert rows[-1][1:3] == [1.2, 1.25]
    failed = bench.book_rows({"clean_s": 10.0, "clean_exit": 2}, {})[1]
    assert failed == [["clean build (make book, empty _build)", 10.0, None, 480.0,
                       "ERROR: exit 2"]]
    broken = bench.book_rows({}, {**exercise, "error": "exit 1: boom"})[1]
    assert broken[1][-1] == "ERROR: exit 1: boom"


def _report():
    return {
        "date": "2026-11-21T08:13:39+00:00",
        "machine": {"cpu": "Some CPU", "cores": 2, "memory_gib": 23.5, "system": "Linux 6",
                    "python": "3.11.7", "tensorflow": "2.21.0", "keras": "3.15.1",
                    "jupyter_book": "1.0.4.post1"},
        "load_before": 0.5, "load_after": 1.9,
        "notebooks": [{"notebook": "lessons/x.md", "wall_s": 30.0, "slowest_cell": (3, 20.0),
                       "peak_mib": 900.0, "fit_s": [19.5], "final_fit_s": None,
                       "test_accuracy": 0.9866}],
        "build": {"clean_s": 400.0, "clean_exit": 0, "rebuild_s": 4.0, "rebuild_exit": 0},
        "exercise": {},
    }


def test_readme_section_names_the_machine_and_holds_both_tables():
    section = bench.readme_section(_report())
    assert section.startswith(
        "Measured on 2026-11-21: Some CPU, 2 cores, 23.5 GiB, Linux 6, Python 3.11.7, "
        "tensorflow 2.21.0, keras 3.15.1, jupyter-book 1.0.4.post1."
    )
    assert "Load average 0.5 before the run and 1.9 after it." in section
    notebook_table = bench.format_table(*bench.notebook_rows(_report()["notebooks"]))
    build_table = bench.format_table(*bench.book_rows(_report()["build"], {}))
    assert notebook_table in section and build_table in section
    assert "| lessons/x.md |" in section and "0.9866" in section


def test_replace_section_rewrites_only_between_the_markers():
    text = f"# Title\n\nbefore\n{bench.README_START}\nold figures\n{bench.README_END}\nafter\n"
    new = bench.replace_section(text, "new figures\n")
    assert new == f"# Title\n\nbefore\n{bench.README_START}\nnew figures\n{bench.README_END}\nafter\n"
    assert bench.replace_section(new, "new figures") == new  # idempotent
    for broken in ("no markers", f"{bench.README_END} {bench.README_START}"):
        with pytest.raises(ValueError, match="must hold the markers"):
            bench.replace_section(broken, "x")


def test_the_readme_has_the_markers_and_make_bench_fills_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(bench.README_START) == 1 and readme.count(bench.README_END) == 1
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "scripts/bench.py --readme README.md" in makefile


def test_training_notebooks_print_the_fit_time_of_every_model_they_train():
    """The benchmark reads fit times from what the notebooks print.

    A training notebook is one that prints a test accuracy; each of its
    top-level ``... = model.fit(`` cells must print a ``Fit time`` line.
    """
    import jupytext

    top_level_fit = re.compile(r"^\w+ = \w+\.fit\(", re.MULTILINE)
    checked = []
    for path in bench.notebooks_in_toc(ROOT):
        notebook = jupytext.read(ROOT / path, fmt="md:myst")
        code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        if not any('print(f"Test accuracy: ' in source for source in code):
            continue
        for source in code:
            if top_level_fit.search(source):
                assert re.search(r'print\(f"Fit time( \(final model\))?: ', source), (path, source)
                checked.append(path)
    assert {"lessons/mnist-exercise.md", "lessons/final-model.md"} <= {str(p) for p in checked}


def test_the_benchmark_builds_the_book_as_make_book_does():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^book:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
    assert recipe.split()[1:] == list(bench.BOOK_ARGS)
    assert re.search(r"^bench: \$\(INSTALLED\)\n\t.*scripts/bench\.py", makefile, re.MULTILINE)


# --- one real run, on a tiny notebook without TensorFlow (a few seconds) -----------


def _tiny_notebook(folder: Path, cells: list[str]) -> Path:
    body = "\n".join(f"```{{code-cell}} ipython3\n{source}\n```\n" for source in cells)
    path = folder / "tiny.md"
    path.write_text(NOTEBOOK_HEADER + "\n" + body, encoding="utf-8")
    return path


def test_run_notebook_measures_cells_memory_and_printed_figures(tmp_path):
    pytest.importorskip("nbclient")
    _tiny_notebook(tmp_path, [
        "import os\nprint(os.getcwd())",
        "import time\ntime.sleep(0.5)\nprint('Fit time: 0.5 s')",
        "big = bytearray(200 * 2**20)  # 200 MiB, touched\nbig[::4096] = b'x' * len(big[::4096])",
        "print('Fit time (final model): 2.0 s')\nprint('Test accuracy: 0.9912')",
    ])
    result = bench.run_notebook(Path("tiny.md"), root=tmp_path, timeout=60)
    assert "error" not in result and "probe_error" not in result
    assert len(result["cells_s"]) == 4
    assert result["slowest_cell"][0] in (1, 2) and result["slowest_cell"][1] >= 0.5
    assert result["wall_s"] >= sum(result["cells_s"])
    assert 200 < result["peak_mib"] < 1000
    assert 0 < result["cpu_s"] < result["wall_s"] + 5
    assert result["fit_s"] == [0.5] and result["final_fit_s"] == 2.0
    assert result["test_accuracy"] == 0.9912


def test_run_notebook_reports_the_failing_cell_and_still_measures(tmp_path):
    pytest.importorskip("nbclient")
    _tiny_notebook(tmp_path, ["x = 1", "raise ValueError('boom')", "print('never')"])
    result = bench.run_notebook(Path("tiny.md"), root=tmp_path, timeout=60)
    assert result["error"].startswith("cell #1:") and "boom" in result["error"]
    assert len(result["cells_s"]) == 2
    assert result["peak_mib"] > 5


def test_time_script_runs_the_cells_as_plain_python_in_the_notebooks_folder(tmp_path):
    pytest.importorskip("jupytext")
    (tmp_path / "data.txt").write_text("0.9876")
    _tiny_notebook(tmp_path, [
        "try:\n    import not_a_module\nexcept ImportError:\n    %pip install not_a_module",
        "accuracy = open('data.txt').read()\nprint(f'Test accuracy: {accuracy}')",
        "total = sum(i * i for i in range(3_000_000))",
    ])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    timing = bench.time_script(Path("tiny.md"), scratch, root=tmp_path)
    assert "error" not in timing
    assert timing["test_accuracy"] == 0.9876
    assert 0 < timing["script_cpu_s"] <= timing["script_s"] + 1
    assert Path(timing["script"]).parent == scratch


def test_time_script_reports_a_failing_script(tmp_path):
    pytest.importorskip("jupytext")
    _tiny_notebook(tmp_path, ["raise SystemExit('broken on purpose')"])
    timing = bench.time_script(Path("tiny.md"), tmp_path, root=tmp_path)
    assert timing["error"].startswith("exit 1") and "broken on purpose" in timing["error"]
