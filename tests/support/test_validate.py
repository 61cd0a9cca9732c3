"""The shared input checks: what they accept, what they return, how they refuse."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_lesson.validate import (
    as_batch,
    as_grid,
    as_image,
    as_images,
    as_labels,
    as_numbers,
    as_vector,
    check_index,
    check_int,
    check_padding,
    history_dict,
    named_arrays,
    named_vectors,
    pair,
    per_image_ints,
)


def refuses(call, error, *words):
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))


def test_check_int_accepts_numpy_integers_and_refuses_bools_and_floats():
    assert check_int("n", np.int64(3)) == 3 and type(check_int("n", np.int64(3))) is int
    assert check_int("label", -4, minimum=None) == -4
    refuses(lambda: check_int("n", True), TypeError, "n", "True", "bool")
    refuses(lambda: check_int("n", 2.0), TypeError, "n", "2.0", "float")
    refuses(lambda: check_int("n", 0), ValueError, "n must be at least 1, got 0")
    refuses(lambda: check_int("seed", -1, 0), ValueError, "seed must be non-negative, got -1")


def test_check_index_says_why_the_limit_is_there():
    assert check_index("row", 2, 2, "three rows") == 2
    refuses(lambda: check_index("row", 3, 2, "three rows"), ValueError,
            "row must be from 0 to 2 (three rows), got 3")
    refuses(lambda: check_index("row", "1", 2, ""), TypeError, "row", "'1'")


def test_check_padding_words_and_ints():
    assert check_padding("SAME") == "same" and check_padding(2) == 2
    refuses(lambda: check_padding("full"), ValueError, "padding", "'full'")
    refuses(lambda: check_padding(1.0), TypeError, "padding", "1.0")
    refuses(lambda: check_padding(-1), ValueError, "padding", "-1")


def test_pair_from_an_int_or_a_pair():
    assert pair("stride", 2) == (2, 2) and pair("stride", (1, 3)) == (1, 3)
    refuses(lambda: pair("stride", (1, 2, 3)), ValueError, "stride", "(1, 2, 3)")
    refuses(lambda: pair("stride", (1, 0)), ValueError, "stride", "0")


def test_arrays_of_numbers_in_the_shapes_asked_for():
    assert as_numbers([True, False], "mask").dtype == bool
    refuses(lambda: as_numbers("123", "x", "a 2-D array"), TypeError,
            "x must be a 2-D array of numbers, got str")
    refuses(lambda: as_numbers(["a"], "x"), TypeError, "x must hold numbers", "dtype")
    np.testing.assert_array_equal(as_grid(np.ones((2, 3, 1)), "g"), np.ones((2, 3)))
    refuses(lambda: as_grid(np.ones((2, 3, 2)), "g"), ValueError, "g", "(2, 3, 2)")
    refuses(lambda: as_grid([[1, np.inf]], "g"), ValueError, "g", "finite")
    assert as_vector([1, 2], "v").dtype == np.float64
    refuses(lambda: as_vector([], "v"), ValueError, "v", "(0,)")


def test_images_one_or_many():
    assert as_image(np.ones((4, 5)), "image").shape == (4, 5, 1)
    refuses(lambda: as_image(np.ones((1, 4, 5, 1)), "image"), ValueError, "image",
            "(1, 4, 5, 1)")
    assert as_images(np.ones((2, 4, 5, 1))).shape == (2, 4, 5)
    refuses(lambda: as_images(np.ones((0, 4, 5))), ValueError, "images is empty")
    batch, rank = as_batch(np.ones((4, 5)))
    assert batch.shape == (1, 4, 5, 1) and rank == 2
    refuses(lambda: as_batch(np.ones(3), "x"), ValueError, "x", "(3,)")


def test_labels_from_ints_or_one_hot_rows():
    np.testing.assert_array_equal(as_labels(np.eye(3)[[2, 0]], 2, "y"), [2, 0])
    refuses(lambda: as_labels([1, 2, 3], 2, "y"), ValueError, "y", "(2)", "(3,)")


def test_named_arrays_and_vectors():
    grids = named_arrays({"a": [[1]], 2: [[2, 3]]}, "maps", as_grid, "2-D arrays")
    assert list(grids) == ["a", "2"]
    refuses(lambda: named_arrays([[1]], "maps", as_grid, "2-D arrays"), TypeError,
            "maps must be a dict of titles to 2-D arrays, got list")
    refuses(lambda: named_arrays({}, "maps", as_grid, "2-D arrays"), ValueError, "maps is empty")
    refuses(lambda: named_arrays({"a": [1]}, "maps", as_grid, "2-D arrays"), ValueError,
            "maps['a']")
    refuses(lambda: named_vectors({"a": [1], "b": [1, 2]}, "panels"), ValueError,
            "same length", "'b': 2")


def test_per_image_ints_and_histories():
    np.testing.assert_array_equal(per_image_ints("dy", 2, 3), [2, 2, 2])
    refuses(lambda: per_image_ints("dy", [1, 2], 3), ValueError, "dy", "(3)", "(2,)")
    refuses(lambda: per_image_ints("dy", 1.5, 3), TypeError, "dy", "1.5")

    class History:
        history = {"loss": [1.0]}

    assert history_dict(History()) == {"loss": [1.0]}
    refuses(lambda: history_dict([1.0]), TypeError, "history", "list")
