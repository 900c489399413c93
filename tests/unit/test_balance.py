"""The balance index on cases whose answer is known by hand."""

import math

import pytest

from app.analysis.balance import balance, balance_index
from app.analysis.grid import cell_size_for_extent


def test_an_even_spread_over_the_three_values_is_perfectly_balanced():
    assert balance_index({"safety": 7, "justice": 7, "development": 7}) == pytest.approx(1.0)


def test_one_value_only_has_no_balance():
    assert balance_index({"safety": 12, "justice": 0, "development": 0}) == 0.0


def test_two_values_evenly_is_log2_over_log3():
    assert balance_index({"safety": 5, "justice": 5}) == pytest.approx(math.log(2) / math.log(3))


def test_no_pins_has_no_index_and_no_dominant_value():
    b = balance({})
    assert (b.index, b.dominant, b.total) == (None, None, 0)


def test_shares_and_the_dominant_value():
    b = balance({"safety": 2, "justice": 6, "development": 2})
    assert b.shares == pytest.approx({"safety": 0.2, "justice": 0.6, "development": 0.2})
    assert b.dominant == "justice"
    assert 0 < b.index < 1


def test_a_tie_at_the_top_has_no_dominant_value():
    assert balance({"safety": 4, "justice": 4, "development": 1}).dominant is None


@pytest.mark.parametrize(("width", "height"), [(500, 500), (3000, 2500), (40_000, 30_000)])
def test_the_cell_size_keeps_the_number_of_cells_bounded(width, height):
    size = cell_size_for_extent(width, height)
    assert (width // size + 2) * (height // size + 2) <= 5000
