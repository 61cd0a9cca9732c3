"""lesson_book.run.variants: the seed and the Keras backend a run of the notebooks uses."""

from __future__ import annotations

import pytest

from lesson_book.run import variants as notebook_variants
from lesson_book.run.variants import backend, describe, reseed_source, seed, stores_to_cache


@pytest.mark.parametrize(("value", "expected"), [("", None), ("  ", None), ("0", 0), ("7", 7), (" 12 ", 12)])
def test_seed_reads_lesson_seed(value, expected):
    assert seed({"LESSON_SEED": value}) == expected


def test_seed_is_none_without_the_variable():
    assert seed({}) is None


@pytest.mark.parametrize("value", ["-1", "seven", "1.5", "0x3"])
def test_a_seed_that_is_not_a_whole_number_is_refused_by_name(value):
    with pytest.raises(ValueError, match=rf"LESSON_SEED must be a whole number from 0 up, got {value!r}"):
        seed({"LESSON_SEED": value})


@pytest.mark.parametrize(("value", "expected"), [("", "tensorflow"), ("jax", "jax"), ("torch", "torch")])
def test_backend_defaults_to_the_books(value, expected):
    assert backend({"KERAS_BACKEND": value}) == expected
    assert backend({}) == "tensorflow"


def test_an_unknown_backend_is_refused_by_name():
    with pytest.raises(ValueError, match=r"KERAS_BACKEND must be one of tensorflow, jax, torch, got 'numpy'"):
        backend({"KERAS_BACKEND": "numpy"})


@pytest.mark.parametrize(
    ("environ", "stores"),
    [
        ({}, True),
        ({"KERAS_BACKEND": "tensorflow"}, True),
        ({"LESSON_SEED": "0"}, False),
        ({"KERAS_BACKEND": "jax"}, False),
        ({"KERAS_BACKEND": "torch", "LESSON_SEED": "3"}, False),
    ],
)
def test_only_the_books_own_run_is_stored(environ, stores):
    assert stores_to_cache(environ) is stores


def test_describe_names_backend_and_seed():
    assert describe({}) == "notebooks run under Keras backend tensorflow, with the lessons' own seeds"
    assert describe({"KERAS_BACKEND": "torch", "LESSON_SEED": "4"}).endswith("torch, with LESSON_SEED=4")


def _derived(seed_value: int, lesson_seed: int) -> int:
    """The seed a lesson's ``set_random_seed(lesson_seed)`` passes on under ``seed_value``."""
    calls = []
    namespace: dict = {}
    keras = pytest.importorskip("keras")
    original = keras.utils.set_random_seed
    keras.utils.set_random_seed = calls.append
    try:
        exec(reseed_source(seed_value), namespace)
        keras.utils.set_random_seed(lesson_seed)
    finally:
        keras.utils.set_random_seed = original
    return calls[0]


def test_reseeding_derives_distinct_valid_seeds_from_both_numbers():
    derived = {(s, lesson): _derived(s, lesson) for s in range(10) for lesson in (0, 1, 42)}
    assert len(set(derived.values())) == len(derived), "each (seed, lesson seed) pair gets its own seed"
    assert all(isinstance(value, int) and 0 <= value < 2**32 for value in derived.values())
    assert _derived(3, 42) == _derived(3, 42)


@pytest.mark.parametrize("bad", [-1, 1.0, "3", True, None])
def test_reseed_source_refuses_a_bad_seed_by_name(bad):
    with pytest.raises(ValueError, match=rf"seed_value must be a whole number from 0 up, got {bad!r}"):
        reseed_source(bad)


def test_the_backends_include_the_books():
    assert notebook_variants.BOOK_BACKEND in notebook_variants.BACKENDS
