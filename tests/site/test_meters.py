"""The site's small formats: meters (a completion rate is good when high, a budget's use when low) and hours."""

from __future__ import annotations

import pytest

from lmsgen.site.pages import Html


@pytest.mark.parametrize(("share", "level", "title"), [
    (0.16, "good", "16% of the budget used"),
    (0.85, "warn", "85% of the budget used"),
    (1.0, "warn", "100% of the budget used"),
    (1.41, "bad", "141% of the budget used"),
    (250.0, "bad", "over 10000% of the budget used"),
])
def test_a_budget_used_reads_as_spend_not_completion(share, level, title):
    html = str(Html.used(share))
    assert f'lms-rate--{level}"' in html
    assert f'title="{title}"' in html
    assert "complete" not in html


@pytest.mark.parametrize(("share", "level"), [(0.16, "bad"), (0.75, "warn"), (0.95, "good")])
def test_a_completion_rate_is_good_when_high(share, level):
    html = str(Html.rate(share))
    assert f'lms-rate--{level}"' in html and "complete" in html


@pytest.mark.parametrize(("hours", "text"), [(0.25, "0.25"), (1.5, "1.5"), (2.0, "2"), (0.1, "0.1"), (1200, "1,200")])
def test_hours_read_as_written(hours, text):
    assert Html.hours(hours) == text
