"""The benchmark's parts: reading what notebooks print and what nbclient and jupyter-cache
record, the exercise as a script, judging budgets and the peer, and writing the tables.
(Running the benchmark itself is `make bench`, never part of the tests.)"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat.v4 as v4
import pytest

from lesson_book.book import ROOT, toc_notebooks
from lesson_book.cli import bench, bench_page, bench_report
from lesson_book.run import measure

# --- what the notebooks print -----------------------------------------------------


def test_parse_outputs_reads_fits_final_fit_and_the_last_test_accuracy():
    texts = [
        "Epoch 1/3\n...\nFit time: 26.1 s\n",
        "Test accuracy: 0.9571\n",
        "Fit time: 9 s\nsome other line\nFit time (final model): 52.3 s\n",
        "Test accuracy: 0.9935\n",
    ]
    printed = measure.parse_outputs(texts)
    assert printed.fit_s == [26.1, 9.0]
    assert printed.final_fit_s == 52.3
    assert printed.test_accuracy == 0.9935


def test_parse_outputs_ignores_lines_that_only_look_alike():
    texts = ["Validation: Test accuracy: 0.5\n", "Fit time: fast\n", "Fit time: 3 minutes\n"]
    assert measure.parse_outputs(texts) == measure.Printed()


def test_parse_outputs_rejects_impossible_accuracy_and_non_text():
    with pytest.raises(ValueError, match="at most 1, got 98.8"):
        measure.parse_outputs(["Test accuracy: 98.8\n"])
    with pytest.raises(TypeError, match="texts must hold strings, got 3"):
        measure.parse_outputs([3])


# --- memory -----------------------------------------------------------------------


def test_maxrss_is_kibibytes_on_linux_and_bytes_on_macos():
    assert measure.maxrss_mib(1_048_576, "linux") == 1024.0
    assert measure.maxrss_mib(1_048_576, "darwin") == 1.0
    with pytest.raises(ValueError, match="platform_name 'win32'"):
        measure.maxrss_mib(1, "win32")
    with pytest.raises(ValueError, match="ru_maxrss.*-1"):
        measure.maxrss_mib(-1, "linux")
    with pytest.raises(ValueError, match="ru_maxrss.*'12'"):
        measure.maxrss_mib("12", "linux")


def test_read_probe_prefers_vmhwm_and_falls_back_on_maxrss():
    linux = '{"vmhwm_kib": 2097152, "maxrss": 1, "platform": "linux", "cpu_s": 12.5}'
    assert measure.read_probe(linux) == (2048.0, 12.5)
    no_proc = '{"vmhwm_kib": null, "maxrss": 3145728, "platform": "linux", "cpu_s": 1}'
    assert measure.read_probe(no_proc) == (3072.0, 1)
    mac = '{"vmhwm_kib": null, "maxrss": 1048576, "platform": "darwin"}'
    assert measure.read_probe(mac) == (1.0, None)


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
        measure.read_probe(text)
    for word in words:
        assert word in str(raised.value)


def test_the_probe_measures_the_process_it_runs_in():
    """Run here in a fresh Python, the probe reports that small process's own
    peak, not that of this (larger) test process which started it."""
    ballast = bytearray(300 * 2**20)  # make this process large before forking
    ballast[::4096] = b"x" * len(ballast[::4096])
    done = subprocess.run([sys.executable, "-c", measure.PROBE_CODE],
                          capture_output=True, text=True, check=True)
    del ballast
    peak, cpu = measure.read_probe(done.stdout)
    assert 5 < peak < 200  # MiB
    assert 0 < cpu < 10


# --- what nbclient and jupyter-cache record ----------------------------------------


def test_cell_seconds_spans_the_timestamps_nbclient_records():
    execution = {
        "iopub.status.busy": "2026-11-30T10:00:00.250000Z",
        "iopub.execute_input": "2026-11-30T10:00:00.300000Z",
        "shell.execute_reply": "2026-11-30T10:00:02.700000Z",
        "iopub.status.idle": "2026-11-30T10:00:02.750000Z",
    }
    assert measure.cell_seconds(execution) == 2.5
    assert measure.cell_seconds({}) is None
    with pytest.raises(ValueError, match="ISO timestamps.*'yesterday'"):
        measure.cell_seconds({"iopub.status.busy": "yesterday"})
    with pytest.raises(TypeError, match="metadata.execution, got None"):
        measure.cell_seconds(None)


def _cache_notebook(cache, uri: str, code: str, seconds: float | None) -> None:
    from jupyter_cache.base import CacheBundleIn

    notebook = v4.new_notebook(
        cells=[v4.new_code_cell(code)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    )
    data = {} if seconds is None else {"execution_seconds": seconds}
    cache.cache_notebook_bundle(CacheBundleIn(notebook, uri, data=data), check_validity=False)


def test_execution_seconds_reads_what_the_build_recorded_in_jupyter_cache(tmp_path):
    from jupyter_cache import get_cache

    cache = get_cache(tmp_path / "_build" / ".jupyter_cache")
    _cache_notebook(cache, str(tmp_path / "lessons" / "a.md"), "a = 1", 12.5)
    _cache_notebook(cache, str(tmp_path / "pages" / "setup.md"), "b = 2", 3.25)
    _cache_notebook(cache, "/elsewhere/c.md", "c = 3", 1.0)
    _cache_notebook(cache, str(tmp_path / "lessons" / "d.md"), "d = 4", None)
    assert bench.execution_seconds(tmp_path / "_build" / ".jupyter_cache", tmp_path) == {
        "lessons/a.md": 12.5, "pages/setup.md": 3.25, "/elsewhere/c.md": 1.0,
    }
    with pytest.raises(ValueError, match="cache_path .*nothing.* holds no jupyter-cache"):
        bench.execution_seconds(tmp_path / "nothing", tmp_path)


# --- the plain-script version of a notebook --------------------------------------


def test_script_from_notebook_is_valid_python_with_magics_as_ipython_runs_them():
    notebook = v4.new_notebook(cells=[
        v4.new_markdown_cell("Some *text*."),
        v4.new_code_cell("try:\n    import x\nexcept ImportError:\n    %pip install --quiet x"),
        v4.new_code_cell("!ls\nprint('hi')"),
    ])
    script = bench.script_from_notebook(notebook)
    compile(script, "script", "exec")  # valid Python although the except block held only a magic
    assert "    get_ipython().run_line_magic('pip', 'install --quiet x')" in script
    assert "get_ipython().system('ls')\nprint('hi')" in script
    assert script.index("import x") < script.index("print('hi')")
    assert notebook.cells[1].source.endswith("%pip install --quiet x")  # the input is untouched


def test_the_exercise_runs_as_a_script_of_its_own_cells():
    script = bench.script_from_notebook(bench.load_notebook(ROOT / bench.EXERCISE))
    compile(script, bench.EXERCISE, "exec")
    assert "model.fit(" in script and "%pip" not in script


def test_load_notebook_reads_myst_and_percent_scripts_only(tmp_path):
    assert bench.load_notebook(ROOT / bench.PEER).cells[-1].source.startswith("test_loss")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(ValueError, match="path must be a .md notebook or a .py.*a.txt"):
        bench.load_notebook(tmp_path / "a.txt")


def test_the_peer_is_the_published_example_model():
    """The layers and settings the Keras example "Simple MNIST convnet" publishes."""
    source = (ROOT / bench.PEER).read_text(encoding="utf-8")
    layers = re.findall(r"keras\.layers\.(\w+\(.*\))", source)
    assert layers == [
        'Conv2D(32, kernel_size=(3, 3), activation="relu")',
        "MaxPooling2D(pool_size=(2, 2))",
        'Conv2D(64, kernel_size=(3, 3), activation="relu")',
        "MaxPooling2D(pool_size=(2, 2))",
        "Flatten()",
        "Dropout(0.5)",
        'Dense(10, activation="softmax")',
    ]
    assert 'optimizer="adam"' in source and 'loss="sparse_categorical_crossentropy"' in source
    assert "batch_size=128, epochs=15, validation_split=0.1" in source
    assert 'print(f"Fit time: ' in source and 'print(f"Test accuracy: ' in source


# --- budgets, the peer and the tables ---------------------------------------------


def test_measurements_pass_at_the_limit_and_are_over_above_it():
    assert bench_report.Measurement("notebook", 120.0, 120.0).status == "PASS"
    assert bench_report.Measurement("notebook", 120.1, 120.0).status == "OVER"
    assert bench_report.Measurement("fit", None, 60.0).status == "n/a"
    assert bench_report.Measurement("accuracy", 0.994, 0.994, at_least=True).status == "PASS"
    assert bench_report.Measurement("accuracy", 0.9939, 0.994, at_least=True).status == "UNDER"
    assert bench_report.verdict([bench_report.Measurement("spread", 0.2, 0.1),
                                 bench_report.Measurement("accuracy", 0.9, 0.99, at_least=True)]) \
        == "OVER: spread; UNDER: accuracy"


def test_the_final_models_fit_has_the_same_budget_as_every_other_fit():
    targets = {"notebook_s": 100, "fit_s": 10, "peak_mib": 1000}
    result = {"wall_s": 90.0, "fit_s": [4.0, 9.0], "final_fit_s": 11.0, "peak_mib": 1200.0}
    measurements = bench_report.notebook_measurements(result, targets)
    assert [(m.what, m.measured, m.status) for m in measurements] == [
        ("notebook", 90.0, "PASS"), ("fit", 11.0, "OVER"), ("memory", 1200.0, "OVER"),
    ]
    assert bench_report.verdict(measurements) == "OVER: fit, memory"
    assert bench_report.verdict(measurements[:1]) == "PASS"
    assert bench_report.verdict(measurements, error="cell #3: boom") == "ERROR: cell #3: boom"
    assert bench_report.all_fits({"fit_s": [1.0], "final_fit_s": 0.0}) == [1.0, 0.0]


FINAL_RUN = {"notebook": "lessons/final-model.md", "final_fit_s": 40.0, "test_accuracy": 0.9931}
PEER_RUN = {"notebook": "tools/lesson_book/cli/peer_convnet.py", "fit_s": [100.0], "test_accuracy": 0.9915}


def test_peer_comparison_meets_the_goal_with_a_small_ratio_and_a_gain():
    comparison = bench_report.peer_comparison(FINAL_RUN, PEER_RUN, {"peer_fit_ratio": 0.4})
    assert comparison["fit_ratio"] == 0.4 and comparison["status"] == "PASS"
    assert comparison["accuracy_gain"] == pytest.approx(0.0016)
    assert (comparison["final"], comparison["peer"]) == (FINAL_RUN["notebook"],
                                                         PEER_RUN["notebook"])


@pytest.mark.parametrize(
    ("final", "peer", "status"),
    [
        ({**FINAL_RUN, "final_fit_s": 41.0}, PEER_RUN, "MISSED: fit ratio"),
        ({**FINAL_RUN, "test_accuracy": 0.9915}, PEER_RUN, "MISSED: accuracy"),
        ({**FINAL_RUN, "final_fit_s": 90.0, "test_accuracy": 0.99}, PEER_RUN,
         "MISSED: fit ratio, accuracy"),
        ({}, PEER_RUN, "n/a"),
        (FINAL_RUN, {**PEER_RUN, "test_accuracy": None}, "n/a"),
        (FINAL_RUN, {**PEER_RUN, "error": "cell #4: Boom"}, "ERROR: cell #4: Boom"),
    ],
)
def test_peer_comparison_names_what_it_missed(final, peer, status):
    assert bench_report.peer_comparison(final, peer, {"peer_fit_ratio": 0.4})["status"] == status


def test_peer_comparison_rejects_a_zero_fit_time():
    with pytest.raises(ValueError, match="peer's fit time must be positive, got 0.0"):
        bench_report.peer_comparison(FINAL_RUN, {"fit_s": [0.0]}, {"peer_fit_ratio": 0.4})


def test_format_table_aligns_numbers_right_and_text_left():
    table = bench_report.format_table(["name", "s"], [["a", 1.5], ["long name", None],
                                                      ["b", 12.25]])
    lines = table.splitlines()
    assert lines[0] == "| name      |     s |"
    assert lines[1] == "|-----------|------:|"
    assert lines[2] == "| a         |   1.5 |"
    assert lines[3] == "| long name |     – |"
    assert lines[4] == "| b         | 12.25 |"
    with pytest.raises(ValueError, match=r"every row must have 2 cells.*\['name', 's'\]"):
        bench_report.format_table(["name", "s"], [["a"]])


def test_notebook_rows_show_each_measurement_and_the_verdict():
    result = {
        "notebook": "lessons/x.md", "wall_s": 130.04, "slowest_cell": (7, 61.23),
        "peak_mib": 900.4, "fit_s": [20.0], "final_fit_s": 61.2, "test_accuracy": 0.98812,
    }
    headers, rows = bench_report.notebook_rows([result], {"lessons/x.md": 101.26},
                                               bench.TARGETS)
    assert len(headers) == len(rows[0])
    assert rows[0] == ["lessons/x.md", 130.0, 101.3, "#7: 61.2 s", 900.0, 61.2, "0.9881",
                       "OVER: notebook, fit"]
    assert bench_report.notebook_rows([result], None, bench.TARGETS)[1][0][2] is None


def test_book_rows_judge_the_build_and_report_the_ratios():
    build = {"clean_s": 400.0, "clean_exit": 0, "rebuild_s": 31.0, "rebuild_exit": 0}
    exercise = {"notebook": "lessons/e.md", "notebook_s": 60.0, "notebook_cpu_s": 80.0,
                "script_s": 50.0, "script_cpu_s": 64.0, "ratio": 1.2, "cpu_ratio": 1.25}
    headers, rows = bench_report.book_rows(build, exercise, bench.TARGETS)
    assert all(len(row) == len(headers) for row in rows)
    assert [row[-1] for row in rows] == ["PASS", "OVER", "reported", "reported", "ratio"]
    assert rows[2][1:3] == [60.0, 80.0] and rows[3][1:3] == [50.0, 64.0]
    assert rows[-1][1:3] == [1.2, 1.25]
    failed = bench_report.book_rows({"clean_s": 10.0, "clean_exit": 2}, {}, bench.TARGETS)[1]
    assert failed == [["clean build (make book, empty _build)", 10.0, None, 480.0,
                       "ERROR: exit 2"]]
    broken = bench_report.book_rows({}, {**exercise, "error": "exit 1: boom"}, bench.TARGETS)
    assert broken[1][1][-1] == "ERROR: exit 1: boom"


def test_peer_rows_state_both_models_and_the_ratio_against_the_goal():
    comparison = bench_report.peer_comparison(FINAL_RUN, PEER_RUN, {"peer_fit_ratio": 0.4})
    headers, rows = bench_report.peer_rows(comparison)
    assert all(len(row) == len(headers) for row in rows)
    assert rows[0][:3] == ["final model (lessons/final-model.md)", 40.0, "0.9931"]
    assert rows[1][:3] == ["peer (tools/lesson_book/cli/peer_convnet.py)", 100.0, "0.9915"]
    assert rows[2] == ["final / peer", 0.4, "+0.0016",
                       "fit ratio ≤ 0.4, accuracy gain > 0", "PASS"]


def _report(**changes):
    report = {
        "date": "2026-11-21T08:13:39+00:00",
        "machine": {"cpu": "Some CPU", "cores": 2, "memory_gib": 23.5, "system": "Linux 6",
                    "python": "3.11.7", "tensorflow": "2.21.0", "keras": "3.15.1",
                    "jupyter_book": "1.0.4.post1"},
        "load_before": 0.5, "load_after": 1.9, "targets": bench.TARGETS,
        "notebooks": [{"notebook": "lessons/x.md", "wall_s": 30.0, "slowest_cell": [3, 20.0],
                       "peak_mib": 900.0, "fit_s": [19.5], "final_fit_s": None,
                       "test_accuracy": 0.9866}],
        "build": {"clean_s": 400.0, "clean_exit": 0, "rebuild_s": 4.0, "rebuild_exit": 0,
                  "executed": {"lessons/x.md": 28.0}},
        "exercise": {},
    }
    return {**report, **changes}


def test_report_markdown_names_the_machine_and_holds_every_table():
    peer = bench_report.peer_comparison(FINAL_RUN, PEER_RUN, {"peer_fit_ratio": 0.4})
    report = _report(peer=peer)
    text = bench_page.report_markdown(report)
    assert text.startswith(
        "Measured on 2026-11-21: Some CPU, 2 cores, 23.5 GiB, Linux 6, Python 3.11.7, "
        "tensorflow 2.21.0, keras 3.15.1, jupyter-book 1.0.4.post1."
    )
    assert "Load average 0.5 before the run and 1.9 after it." in text
    for table in (
        bench_report.notebook_rows(report["notebooks"], {"lessons/x.md": 28.0}, bench.TARGETS),
        bench_report.book_rows(report["build"], {}, bench.TARGETS),
        bench_report.peer_rows(peer),
    ):
        assert bench_report.format_table(*table) in text
    assert "predates the peer" not in text


def test_report_markdown_says_when_a_run_predates_the_peer():
    text = bench_page.report_markdown(_report())
    assert "This run predates the peer: it has no comparison." in text
    assert "| lessons/x.md |" in text and "0.9866" in text


def test_main_writes_the_page_from_an_earlier_report_without_measuring(tmp_path, capsys):
    (tmp_path / "bench.json").write_text(json.dumps(_report()), encoding="utf-8")
    page = tmp_path / "_bench.md"
    assert bench.main(["--from-json", str(tmp_path / "bench.json"), "--page", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith(bench_page.PAGE_NOTE + "\n\n")
    expected = bench_page.report_markdown(_report(book_reference=bench.BOOK_REFERENCE))
    assert text.strip().endswith(expected.strip())
    assert expected in capsys.readouterr().out


# --- the book's own files ----------------------------------------------------------


def test_the_cost_page_includes_the_page_the_bench_writes():
    cost = (ROOT / "pages" / "cost.md").read_text(encoding="utf-8")
    assert "```{include} _bench.md\n```" in cost and "```{nb-exec-table}\n```" in cost
    page = (ROOT / "pages" / "_bench.md").read_text(encoding="utf-8")
    assert page.startswith(bench_page.PAGE_NOTE)
    assert "| notebook " in page and "Measured on " in page


def test_the_benchmark_builds_the_book_as_make_book_does():
    makefile = (ROOT / "Makefile").read_text()
    build = re.search(r"^BUILD := (.+)$", makefile, re.MULTILINE).group(1)
    assert re.search(r"^book:.*\n\t\$\(BUILD\)$", makefile, re.MULTILINE)
    assert build.split()[1:] == list(bench.BOOK_ARGS)


def test_training_notebooks_print_the_fit_time_of_every_model_they_train():
    """The benchmark reads fit times from what the notebooks print.

    A training notebook is one that prints a test accuracy; each of its cells
    that readers see and that calls a model's ``fit`` (at the top level or in
    a loop) must print a ``Fit time`` line.
    """

    def calls_fit(source: str) -> bool:
        tree = ast.parse(source)
        return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                   and node.func.attr == "fit" for node in ast.walk(tree))

    checked = []
    for path in toc_notebooks(ROOT):
        cells = [cell for cell in bench.load_notebook(ROOT / path).cells if cell.cell_type == "code"]
        if not any('print(f"Test accuracy: ' in cell.source for cell in cells):
            continue
        for cell in cells:
            if "remove-cell" not in cell.metadata.get("tags", []) and calls_fit(cell.source):
                assert re.search(r'print\(f"Fit time( \(final model\))?: ', cell.source), (path, cell.source)
                checked.append(path)
    assert {bench.EXERCISE, bench.FINAL} <= {str(p) for p in checked}


# --- one real run, on a tiny notebook without TensorFlow (a few seconds) -----------


@pytest.fixture
def tiny_notebook(tmp_path, myst_header):
    """Writes ``tmp_path/tiny.md``, a MyST notebook of the given code cells."""

    def write(cells: list[str]) -> Path:
        body = "\n".join(f"```{{code-cell}} ipython3\n{source}\n```\n" for source in cells)
        path = tmp_path / "tiny.md"
        path.write_text(myst_header + "\nText.\n\n" + body, encoding="utf-8")
        return path

    return write


def test_run_notebook_measures_cells_memory_and_printed_figures(tmp_path, tiny_notebook):
    tiny_notebook([
        "import os\nprint(os.getcwd())",
        "import time\ntime.sleep(0.5)\nprint('Fit time: 0.5 s')",
        "big = bytearray(200 * 2**20)  # 200 MiB, touched\nbig[::4096] = b'x' * len(big[::4096])",
        "print('Fit time (final model): 2.0 s')\nprint('Test accuracy: 0.9912')",
    ])
    result = bench.run_notebook(Path("tiny.md"), root=tmp_path)
    assert "error" not in result and "probe_error" not in result
    assert len(result["cells_s"]) == 4
    assert result["slowest_cell"][0] in (1, 2) and result["slowest_cell"][1] >= 0.5
    assert result["wall_s"] >= sum(result["cells_s"])
    assert 200 < result["peak_mib"] < 1000
    assert 0 < result["cpu_s"] < result["wall_s"] + 5
    assert result["fit_s"] == [0.5] and result["final_fit_s"] == 2.0
    assert result["test_accuracy"] == 0.9912


def test_run_notebook_reports_the_failing_cell_and_still_measures(tmp_path, tiny_notebook):
    tiny_notebook(["x = 1", "raise ValueError('boom')", "print('never')"])
    result = bench.run_notebook(Path("tiny.md"), root=tmp_path)
    assert result["error"].startswith("cell #1:") and "boom" in result["error"]
    assert len(result["cells_s"]) == 2
    assert result["peak_mib"] > 5


def test_time_script_runs_the_notebook_as_plain_python_in_its_folder(tmp_path, tiny_notebook):
    (tmp_path / "data.txt").write_text("0.9876")
    tiny_notebook([
        "try:\n    import json\nexcept ImportError:\n    %pip install not_a_module",
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


def test_time_script_reports_a_failing_script(tmp_path, tiny_notebook):
    tiny_notebook(["raise SystemExit('broken on purpose')"])
    timing = bench.time_script(Path("tiny.md"), tmp_path, root=tmp_path)
    assert timing["error"].startswith("exit 1") and "broken on purpose" in timing["error"]


def test_budgets_text_states_every_target_and_knows_no_others():
    text = bench_page.budgets_text(bench.TARGETS)
    assert text.startswith("Budgets: a notebook, start to end, at most 120 s; ")
    assert "the final model's included, at most 60 s" in text and "1536 MiB" in text
    assert "at most 0.15 times the peer's, and its test accuracy higher; " in text
    assert "fit times within ±0.1 of their median" in text
    assert "at least 0.994; and its lowest at least 0.992; " in text
    assert "the same fit under JAX or PyTorch at most 1.5 times TensorFlow's; " in text
    assert text.endswith("summed over the notebooks of the reference run, at most 1.97 fits of the peer.")
    with pytest.raises(ValueError, match=r"without a description: \['gpu_s'\]"):
        bench_page.budgets_text({**bench.TARGETS, "gpu_s": 1.0})


def test_run_notebook_reports_the_work_of_a_fit_it_measures(tmp_path, tiny_notebook, monkeypatch):
    tiny_notebook([
        "import types\n"
        "net = types.SimpleNamespace(layers=[], history=types.SimpleNamespace(history={'loss': [0.9, 0.5, 0.4]}))\n"
        "seen, held_out = list(range(7)), list(range(2))\n"
        "print('Fit time: 1.5 s')",
    ])
    monkeypatch.setitem(bench.FIT_WORK, "tiny.md", bench.FitWork("net", "seen", "held_out", 0))
    result = bench.run_notebook(Path("tiny.md"), root=tmp_path)
    assert "probe_error" not in result and result["peak_mib"] > 5  # the memory probe still reads
    assert result["work"] == {"multiply_adds_per_image": 0, "epochs": 3, "training_images": 7,
                              "validation_images": 2}
    assert bench_report.fit_time(result) == 1.5
    monkeypatch.setitem(bench.FIT_WORK, "tiny.md", bench.FitWork("no_such_model", "seen", "held_out", 0))
    result = bench.run_notebook(Path("tiny.md"), root=tmp_path)
    assert "NameError" in result["work_error"] and "work" not in result and result["peak_mib"] > 5


def test_report_markdown_holds_the_share_of_the_machine_only_when_measured():
    notebook = {**_report()["notebooks"][0], "work_fit": 0,
                "work": {"multiply_adds_per_image": 10**6, "epochs": 1, "training_images": 100,
                         "validation_images": 0}}
    peak = {"size": 2048, "seconds": 0.1, "backend": "jax", "dtype": "float32", "multiply_adds_per_s": 1e9}
    text = bench_page.report_markdown(_report(notebooks=[notebook], peak=peak))
    assert bench_report.format_table(*bench_report.share_rows([notebook], peak)) in text
    assert "(`keras.ops.matmul`, jax)" in text
    assert bench_report.share_rows([notebook], peak)[1][0][-1] == "2%"  # 3 × 10⁸ in 19.5 s against 10⁹/s
    assert "How much of the machine" not in bench_page.report_markdown(_report())


# --- repeated runs: the spread of fit times, the final model over seeds ------------


def test_spread_is_the_farthest_value_from_the_median_as_a_fraction_of_it():
    assert bench_report.spread([20.0, 21.0, 22.0, 24.0, 19.0]) == pytest.approx(3 / 21)
    assert bench_report.spread([30.0]) == 0.0
    for bad in ([], [20.0, 0.0], [True], ["20"]):
        with pytest.raises(ValueError, match="values must be one or more positive numbers"):
            bench_report.spread(bad)


def _runs(fits, accuracies):
    return [{"notebook": "lessons/final.md", "seed": seed, "fit_s": [], "final_fit_s": fit,
             "test_accuracy": accuracy} for seed, (fit, accuracy) in enumerate(zip(fits, accuracies))]


def test_repeat_rows_judge_spread_seeds_accuracy_and_the_ratio_for_the_final_model():
    good = _runs([15.0, 16.0, 15.5, 14.5, 15.2], [0.9941, 0.9950, 0.9935, 0.9944, 0.9922])
    other = [{**run, "notebook": "lessons/x.md", "fit_s": [5.0, run["final_fit_s"] - 5.0],
              "final_fit_s": None, "test_accuracy": 0.5} for run in good]
    headers, rows = bench_report.repeat_rows(
        {"lessons/final.md": good, "lessons/x.md": other}, 110.0, "lessons/final.md", bench.TARGETS)
    assert headers[-1] == "result" and len(rows) == 2
    assert rows[0] == ["lessons/final.md", "0, 1, 2, 3, 4", "15.0, 16.0, 15.5, 14.5, 15.2", 15.2, "±5%",
                       0.14, "0.9941", "0.9922", "PASS"]
    # another notebook: the sum of its fits, the spread only
    assert rows[1][3:] == [15.2, "±5%", None, None, None, "PASS"]

    unsteady = _runs([15.0, 30.0, 15.5, 14.5, 15.2], [0.9930, 0.9950, 0.9935, 0.9944, 0.9910])
    row = bench_report.repeat_rows({"lessons/final.md": unsteady}, 80.0, "lessons/final.md",
                                   bench.TARGETS)[1][0]
    assert row[4] == "±97%"
    assert row[-1] == "OVER: spread, median / peer; UNDER: median accuracy, lowest accuracy"


def test_repeat_rows_report_a_failed_run_or_a_missing_fit_time():
    failed = _runs([15.0, 15.0], [0.99, 0.99])
    failed[1]["error"] = "cell #4: boom"
    rows = bench_report.repeat_rows({"lessons/final.md": failed}, 100.0, "lessons/final.md",
                                    bench.TARGETS)[1]
    assert rows[0][-1] == "ERROR: seed 1: cell #4: boom"
    silent = _runs([None], [0.99])
    rows = bench_report.repeat_rows({"lessons/final.md": silent}, 100.0, "lessons/final.md",
                                    bench.TARGETS)[1]
    assert rows[0][-1] == "ERROR: no fit time printed"


def test_report_markdown_holds_the_repeats_only_when_run():
    runs = _runs([15.0, 16.0], [0.9941, 0.9950])
    text = bench_page.report_markdown(_report(repeats={"lessons/final.md": runs}, final="lessons/final.md"))
    table = bench_report.format_table(*bench_report.repeat_rows(
        {"lessons/final.md": runs}, None, "lessons/final.md", bench.TARGETS))
    assert table in text and "another seed (`LESSON_SEED`)" in text
    assert "another seed" not in bench_page.report_markdown(_report())


def test_run_notebook_runs_with_the_seed_it_is_given(tmp_path, tiny_notebook):
    tiny_notebook(["import keras\nkeras.utils.set_random_seed(1)\nimport random\n"
                   "print(f'Test accuracy: {random.random():.6f}')"])
    book, seeded, again = (bench.run_notebook(Path("tiny.md"), root=tmp_path, seed=seed) for seed in (None, 3, 3))
    assert (book["seed"], seeded["seed"]) == (None, 3)
    assert seeded["test_accuracy"] == again["test_accuracy"] != book["test_accuracy"]


def test_main_refuses_a_negative_number_of_repeats(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--repeats", "-1"])
    assert "--repeats must be 0 or more, got -1" in capsys.readouterr().err


# --- the same fits under the other backends ---------------------------------------


def test_backend_rows_compare_each_fit_with_tensorflows_and_name_the_limit_only_when_over():
    tensorflow = [{"notebook": "lessons/final.md", "work_fit": "final", "final_fit_s": 20.0},
                  {"notebook": "lessons/x.md", "work_fit": 0, "fit_s": [10.0, 3.0]}]
    backends = [
        {"notebook": "lessons/final.md", "backend": "jax", "work_fit": "final", "final_fit_s": 36.0},
        {"notebook": "lessons/final.md", "backend": "torch", "work_fit": "final", "final_fit_s": 19.0},
        {"notebook": "lessons/x.md", "backend": "jax", "work_fit": 0, "fit_s": [15.0, 9.0]},
        {"notebook": "lessons/x.md", "backend": "torch", "work_fit": 0, "fit_s": [], "error": "cell #2: boom"},
    ]
    headers, rows = bench_report.backend_rows(backends, tensorflow, {"jax": "slow convolutions: x/y#1"},
                                              bench.TARGETS)
    assert headers == ["notebook", "backend", "fit s", "TensorFlow fit s", "ratio", "result", "why"]
    assert rows == [
        ["lessons/final.md", "jax", 36.0, 20.0, 1.8, "OVER: ratio", "slow convolutions: x/y#1"],
        ["lessons/final.md", "torch", 19.0, 20.0, 0.95, "PASS", None],
        ["lessons/x.md", "jax", 15.0, 10.0, 1.5, "PASS", None],
        ["lessons/x.md", "torch", None, 10.0, None, "ERROR: cell #2: boom", None],
    ]


def test_report_markdown_holds_the_backends_only_when_run():
    notebook = {**_report()["notebooks"][0], "work_fit": 0}
    run = {**notebook, "backend": "jax", "fit_s": [39.0]}
    text = bench_page.report_markdown(_report(notebooks=[notebook], backends=[run],
                                                upstream_limits=bench.UPSTREAM_LIMITS))
    assert "| lessons/x.md | jax     |  39.0 |" in text and "openxla/xla#34273" in text
    assert "other backends" not in bench_page.report_markdown(_report())


def test_run_notebook_runs_under_the_backend_it_is_given(tmp_path, tiny_notebook):
    tiny_notebook(["import os\nprint(f\"Fit time: {len(os.environ['KERAS_BACKEND'])} s\")"])
    result = bench.run_notebook(Path("tiny.md"), root=tmp_path, backend="torch")
    assert result["backend"] == "torch" and result["fit_s"] == [5.0]


def test_the_backends_run_by_default_are_the_installed_ones(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object() if name == "torch" else None)
    assert bench.installed_backends() == ["torch"]


def test_the_final_model_repeats_with_seeds_only_when_it_is_among_the_notebooks_run(monkeypatch):
    calls = []

    def fake_run(path, root=ROOT, seed=None, backend=None):
        calls.append((str(path), seed, backend))
        return {"notebook": str(path), "wall_s": 1.0, "seed": seed, "fit_s": [1.0]}

    monkeypatch.setattr(bench, "run_notebook", fake_run)
    monkeypatch.setattr(bench, "measure_peak", lambda: {})

    def measured(*argv):
        calls.clear()
        return bench.measure(bench.parse_arguments([*argv, "--skip-build", "--skip-script", "--skip-peer"]))

    report = measured("--only", bench.EXERCISE, "--skip-backends")
    assert calls == [(bench.EXERCISE, None, None)] and "repeats" not in report
    report = measured("--only", bench.FINAL, "--repeats", "2", "--skip-backends")
    assert calls == [(bench.FINAL, None, None), (bench.FINAL, 0, None), (bench.FINAL, 1, None)]
    assert [run["seed"] for run in report["repeats"][bench.FINAL]] == [0, 1]
    measured("--only", bench.EXERCISE, "--repeat", bench.EXERCISE, "--repeats", "1", "--backend", "jax")
    assert calls[1:] == [(bench.EXERCISE, 0, None), (bench.EXERCISE, None, "jax")]


# --- the whole book's run time ------------------------------------------------------

REFERENCE = {"date": "2026-11-30", "in_build_s": 300.0, "peer_fit_s": 100.0,
             "notebooks": ["lessons/a.md", "lessons/b.md"]}


def _walls(*walls):
    return [{"notebook": f"lessons/{name}.md", "wall_s": wall} for name, wall in zip("abc", walls)]


@pytest.mark.parametrize("executed, peer_fit, ratio, status", [
    ({"lessons/a.md": 50.0, "lessons/b.md": 100.0, "lessons/c.md": 60.0}, 100.0, 1.5, "PASS"),
    ({"lessons/a.md": 150.0, "lessons/b.md": 100.0, "lessons/c.md": 60.0}, 100.0, 2.5, "OVER"),
    ({"lessons/a.md": 50.0, "lessons/b.md": 100.0, "lessons/c.md": 60.0}, None, None, "n/a"),
])
def test_book_time_rows_sum_every_notebook_and_judge_the_reference_set_in_peer_fits(
    executed, peer_fit, ratio, status
):
    headers, rows = bench_report.book_time_rows(_walls(40.0, 90.0, 70.0), executed, peer_fit, REFERENCE,
                                                {"book_peer_ratio": 2.0})
    assert all(len(row) == len(headers) for row in rows)
    everything, same, then = rows
    total = sum(executed.values())
    assert everything == ["all 3 notebooks of this run", 200.0, total,
                          None if peer_fit is None else round(total / peer_fit, 2), None,
                          "reported"]
    in_build = executed["lessons/a.md"] + executed["lessons/b.md"]
    assert same == ["the 2 of the 2026-11-30 run", 130.0, in_build, ratio, "≤ 2", status]
    assert then == ["the 2026-11-30 run", None, 300.0, 3.0, None, "reference"]


def test_book_time_rows_give_no_sum_where_a_notebook_did_not_run_in_the_bench_or_its_build():
    executed = {"lessons/a.md": 50.0}
    _, rows = bench_report.book_time_rows(_walls(40.0, 90.0), executed, 100.0, REFERENCE,
                                          {"book_peer_ratio": 2.0})
    assert [row[1:4] for row in rows[:2]] == [[None, None, None]] * 2
    assert all(row[-1].startswith("n/a: not every notebook ran") for row in rows[:2])
    _, rows = bench_report.book_time_rows(_walls(40.0), {"lessons/a.md": 50.0}, 100.0, REFERENCE,
                                          {"book_peer_ratio": 2.0})
    assert rows[0][-1] == "reported" and rows[1][-1].startswith("n/a")


def test_report_markdown_holds_the_whole_book_only_with_a_reference_and_its_budget():
    peer = bench_report.peer_comparison(FINAL_RUN, PEER_RUN, {"peer_fit_ratio": 0.4})
    report = _report(book_reference=REFERENCE, peer=peer)
    headers, rows = bench_report.book_time_rows(
        report["notebooks"], report["build"]["executed"], peer["peer_fit_s"], REFERENCE, bench.TARGETS)
    assert rows[0] == ["all 1 notebooks of this run", 30.0, 28.0, 0.28, None, "reported"]
    assert "The whole book's run time" in bench_page.report_markdown(report)
    assert bench_report.format_table(headers, rows) in bench_page.report_markdown(report)
    assert "whole book" not in bench_page.report_markdown(_report())
    targets = {k: v for k, v in bench.TARGETS.items() if k != "book_peer_ratio"}
    assert "whole book" not in bench_page.report_markdown(_report(book_reference=REFERENCE, targets=targets))


def test_the_book_reference_names_notebooks_the_bench_walls():
    assert set(map(str, toc_notebooks())) >= set(bench.BOOK_REFERENCE["notebooks"])


def test_main_judges_an_earlier_report_by_its_own_budgets_and_todays_new_ones(tmp_path):
    old = _report(targets={"notebook_s": 10.0, "fit_s": 60.0, "peak_mib": 1536.0})
    (tmp_path / "bench.json").write_text(json.dumps(old), encoding="utf-8")
    page = tmp_path / "_bench.md"
    assert bench.main(["--from-json", str(tmp_path / "bench.json"), "--page", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "a notebook, start to end, at most 10 s" in text and "| OVER: notebook " in text
    assert f"at most {bench.TARGETS['book_peer_ratio']:g} fits of the peer" in text
    assert f"the {bench.BOOK_REFERENCE['date']} run" in text
