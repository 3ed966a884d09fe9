"""Output versus reference: structure, shapes, tolerances, NaN."""

import numpy as np
import pytest

from evaluator.runner.reference_comparison import compare_outputs


def test_match_within_tolerance_reports_errors():
    # 2 + 2**-22 is the float32 right after 2.0: an error float32 can hold (2 + 1e-7 rounds to 2.0).
    error = 2.0**-22
    assert np.float32(2.0 + error) != np.float32(2.0)
    ref = {"a": np.array([1.0, 2.0]), "b": [np.float64(3.0), np.float64(4.0)]}
    out = {"a": np.array([1.0, 2.0 + error], dtype=np.float32), "b": np.array([3.0, 4.0])}
    result = compare_outputs(out, ref, rtol=1e-5, atol=1e-8)
    assert result.passed and result.message == ""
    assert result.max_abs_error == error
    assert result.max_rel_error == pytest.approx(error / 2.0)
    assert result.tolerance_ratio == pytest.approx(error / (1e-8 + 1e-5 * 2.0))  # about 0.012: within, not zero


def test_the_same_error_fails_a_tolerance_it_exceeds():
    out = np.array([1.0, 2.0 + 2.0**-22], dtype=np.float32)
    result = compare_outputs(out, np.array([1.0, 2.0]), rtol=1e-8, atol=1e-8)
    assert not result.passed
    assert result.tolerance_ratio == pytest.approx(2.0**-22 / (1e-8 + 2e-8))
    assert "output[1]: got 2, expected 2" in result.message


def test_mismatch_names_the_element():
    result = compare_outputs({"y": np.array([1.0, 5.0])}, {"y": np.array([1.0, 2.0])}, rtol=1e-3, atol=0.0)
    assert not result.passed
    assert "output.y[1]: got 5, expected 2" in result.message
    assert result.max_rel_error == 1.5


def test_nan_never_passes_even_if_reference_is_nan():
    result = compare_outputs(np.array([np.nan]), np.array([np.nan]), rtol=1.0, atol=1.0)
    assert not result.passed and "non-finite" in result.message


def test_shape_and_structure_mismatches():
    assert "shape (3,), expected (2,)" in compare_outputs(np.zeros(3), np.zeros(2), 1e-5, 1e-8).message
    assert "missing ['output.b']" in compare_outputs({"a": 1.0}, {"a": 1.0, "b": 2.0}, 1e-5, 1e-8).message


def test_zero_tolerance_requires_exact_match_without_warnings(recwarn):
    assert compare_outputs(np.array([0.0, 1.0]), np.array([0.0, 1.0]), rtol=0.0, atol=0.0).passed
    result = compare_outputs(np.array([0.0, 1.5]), np.array([0.0, 1.0]), rtol=0.0, atol=0.0)
    assert not result.passed and result.tolerance_ratio == float("inf")
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
