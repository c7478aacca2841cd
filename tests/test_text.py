from __future__ import annotations

import pytest

from helpers.page.text import gbp


@pytest.mark.parametrize(
    "amount, text",
    [
        (1_408_539.2, "£1.41 million"),
        (-352_630.5, "−£353,000"),
        (12_345, "£12,000"),
        (4_560, "£4,600"),
        (-4_560, "−£4,600"),
        (950.4, "£950"),
        (0.4, "£0"),
        (1_000_000, "£1 million"),
    ],
)
def test_gbp(amount, text):
    assert gbp(amount) == text
