"""The national_context page's evidence card: the compendium's own analysis of DfE's official statistics, so the
card says so and carries no rating (``evaluation=None``)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Changes of social worker in England",
    question=(
        "How many children in care had three or more social workers in a year, and could social workers leaving "
        "explain it?"
    ),
    uses=(
        "It reads the Department for Education's official statistics on [[children looked after]] and on the "
        "children's social work workforce, with a stated model of social workers leaving."
    ),
    headline=(
        "{cla_three_plus_share_printed:.0%} of children looked after had three or more social workers in the year to "
        "March {cla_year_text}; workers leaving as often as the average employed worker could explain at most "
        "{leaving_bound_fraction:.0%} of them"
    ),
    adds=(
        "It sets the evaluations' concern with changes of worker against the national figures, shows how far "
        "workers leaving could explain them ([the turnover model](#national-turnover-model)), and compares local "
        "authorities when run on DfE's files ([the results](#national-results))."
    ),
    would_change=(
        "DfE's reasons for each change of social worker, which its stability statistics publish and this page does "
        "not yet read; and figures for children in need and on child protection plans, whom the evaluations worked "
        "with."
    ),
)
