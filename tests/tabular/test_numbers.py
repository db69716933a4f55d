"""A number of thousands of digits is a problem on its row, never a crash: Python
refuses to convert more than 4,300 digits, and no count Shafaf keeps has 30."""

from __future__ import annotations

from shafaf import tabular


def test_a_number_of_five_thousand_digits_is_out_of_range():
    reason = tabular.whole("9" * 5000, (0, 2_147_483_647))
    assert reason == ("%(value)s is out of range: it must be from %(low)s to %(high)s",
                      {"value": "99999999999999999999…", "low": 0, "high": 2_147_483_647})


def test_leading_zeros_do_not_count_as_digits():
    assert tabular.whole("0" * 40 + "7", (0, 10)) == 7


def test_a_long_value_is_quoted_short():
    _message, params = tabular.whole("x" * 5000, (0, 10))  # type: ignore[misc]
    assert params == {"value": "xxxxxxxxxxxxxxxxxxxx…"}
