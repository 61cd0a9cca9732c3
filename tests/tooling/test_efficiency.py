"""lesson_book.run.efficiency: a fit's multiply-adds per second against a matrix product's, and the bench's table of them."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest

from lesson_book.cli import bench, bench_report
from lesson_book.run import efficiency


def _printed(code: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, namespace)  # noqa: S102 - the probe, as the kernel runs it
    return out.getvalue()


def test_the_work_probe_counts_each_layers_multiply_adds_and_the_images_of_the_last_fit():
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 2)),
        keras.layers.Conv2D(3, 3, activation="relu"),  # 6×6 positions × 3 filters × 3×3×2 weights
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),  # 3×3×3 = 27
        keras.layers.Dense(4),  # 27 × 4 weights
    ])
    model.compile(optimizer="adam", loss="mse")
    images, validation = np.zeros((10, 8, 8, 2), "float32"), np.zeros((4, 8, 8, 2), "float32")
    model.fit(images, np.zeros((10, 4)), validation_data=(validation, np.zeros((4, 4))), epochs=2, verbose=0)
    text = _printed(efficiency.work_probe("net", "seen", "held_out"),
                    {"net": model, "seen": images, "held_out": validation})
    assert efficiency.read_work(text) == {
        "multiply_adds_per_image": 6 * 6 * 3 * 3 * 3 * 2 + 27 * 4,
        "epochs": 2, "training_images": 10, "validation_images": 4,
    }
    record = keras.callbacks.History()  # one epoch per fit into one record, as the final model trains
    for _ in range(3):
        model.fit(images, np.zeros((10, 4)), epochs=1, callbacks=[record], verbose=0)
    text = _printed(efficiency.work_probe("net", "seen", "held_out"),
                    {"net": model, "seen": images, "held_out": validation})
    assert efficiency.read_work(text)["epochs"] == 3


def test_a_name_the_notebook_lacks_is_reported_not_raised():
    pytest.importorskip("keras")
    text = _printed(efficiency.work_probe("missing_model", "x", "y"), {"x": [], "y": []})
    assert "NameError" in json.loads(text)["error"]
    with pytest.raises(ValueError, match="the work probe's JSON"):
        efficiency.read_work(text)


@pytest.mark.parametrize("name", ["final model", "model.fit", "", 3])
def test_the_work_probe_wants_python_names(name):
    with pytest.raises(ValueError, match="must be a Python name in the notebook"):
        efficiency.work_probe(name, "x_train", "x_val")


def test_read_work_refuses_counts_that_are_not_whole_numbers():
    good = {"multiply_adds_per_image": 5, "epochs": 1, "training_images": 2, "validation_images": 0}
    with pytest.raises(ValueError, match="epochs must be a whole number"):
        efficiency.read_work(json.dumps({**good, "epochs": 1.5}))


def test_the_peak_is_the_fastest_product_of_the_large_matrices():
    pytest.importorskip("keras")
    peak = efficiency.read_peak(_printed(efficiency.PEAK_CODE, {}))
    assert peak["size"] == efficiency.PEAK_SIZE and peak["dtype"] == "float32"
    assert peak["multiply_adds_per_s"] == pytest.approx(efficiency.PEAK_SIZE**3 / peak["seconds"])
    assert 1e8 < peak["multiply_adds_per_s"] < 1e15  # any CPU or GPU


@pytest.mark.parametrize("seconds", [0, -1.0, "1", True])
def test_read_peak_wants_a_positive_time(seconds):
    with pytest.raises(ValueError, match="seconds must be a positive number"):
        efficiency.read_peak(json.dumps({"size": 4, "seconds": seconds, "backend": "jax", "dtype": "float32"}))


def test_fit_share_counts_three_passes_per_trained_image_and_one_per_validated():
    work = {"multiply_adds_per_image": 10, "epochs": 2, "training_images": 5, "validation_images": 1}
    assert efficiency.fit_share(work, 2.0, 320.0) == {"multiply_adds": 320, "per_s": 160.0, "share": 0.5}
    with pytest.raises(ValueError, match="fit_s must be a positive number"):
        efficiency.fit_share(work, 0, 320.0)


WORK = {"multiply_adds_per_image": 1_000_000, "epochs": 4, "training_images": 50_000,
        "validation_images": 10_000}
PEAK = {"size": 2048, "seconds": 0.1, "backend": "tensorflow", "dtype": "float32",
        "multiply_adds_per_s": 1.6e11}


def test_share_rows_take_each_models_own_fit_time_and_name_what_is_missing():
    results = [
        {"notebook": "lessons/a.md", "fit_s": [16.0, 99.0], "work": WORK, "work_fit": 0},
        {"notebook": "lessons/b.md", "fit_s": [5.0], "final_fit_s": 32.0, "work": WORK, "work_fit": "final"},
        {"notebook": "lessons/c.md", "fit_s": [3.0], "work_error": "text must be the work probe's JSON"},
        {"notebook": "lessons/d.md", "fit_s": [3.0]},  # not measured: no row
    ]
    headers, rows = bench_report.share_rows(results, PEAK)
    assert headers[-1] == "share" and [row[0] for row in rows] == ["lessons/a.md", "lessons/b.md", "lessons/c.md"]
    # (3 × 50,000 + 10,000) × 4 images × 10⁶ = 6.4 × 10¹¹ multiply-adds
    assert rows[0][1:] == ["1,000,000", "(50,000 + 10,000) × 4", 16.0, 40.0, 160.0, "25%"]
    assert rows[1][3:] == [32.0, 20.0, 160.0, "12%"]
    assert rows[2][-1] == "ERROR: text must be the work probe's JSON"
    assert bench_report.share_rows(results[:1], {"error": "no keras"})[1][0][-1] == "ERROR: no keras"


def test_the_bench_measures_the_exercise_and_the_final_model_by_names_their_notebooks_define():
    assert set(bench.FIT_WORK) == {bench.EXERCISE, bench.FINAL}
    for notebook, (model, trained, validated, _) in bench.FIT_WORK.items():
        source = (bench.ROOT / notebook).read_text(encoding="utf-8")
        for name in (model, trained, validated):
            assert f"{name} = " in source or f"{name}), (" in source or f"({name}, " in source, (notebook, name)
