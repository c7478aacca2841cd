from __future__ import annotations

import pytest

from helpers.page.text import gbp, gbp_tick, join_words


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


@pytest.mark.parametrize(
    "amount, step, text",
    [(4408, 1, "£4,408"), (12.034, 0.01, "£12.03"), (-4_560, 100, "−£4,600"), (123_456, 1000, "£123,000")],
)
def test_gbp_to_a_step(amount, step, text):
    assert gbp(amount, step) == text


@pytest.mark.parametrize(
    "x, text", [(1_234_567, "£1.2m"), (350_000, "£350k"), (900, "£900"), (-2_500, "−£2k"), (0, "£0")]
)
def test_gbp_tick(x, text):
    assert gbp_tick(x) == text


def test_join_words():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    with pytest.raises(ValueError, match="no words"):
        join_words([])
