"""One reading of a typed day for every form and command (kompass.days)."""

import datetime

import pytest

from kompass.days import iso_day


def test_year_month_day_is_read():
    assert iso_day("2027-03-12") == datetime.date(2027, 3, 12)


@pytest.mark.parametrize("typed", ["20270312", "2027-3-12", "2027-02-30", "12/3 2027", "2027-03-12T00:00", ""])
def test_anything_else_is_refused(typed):
    # date.fromisoformat alone takes "20270312" and "2027-03-12T00:00"-like forms on Python 3.11
    with pytest.raises(ValueError):
        iso_day(typed)
