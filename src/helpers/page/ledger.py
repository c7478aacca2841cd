"""The evidence ledger: every figure in the registry, and what the notebooks do with it.

Nothing here is typed by hand. Each notebook's analysis function is run with
its default parameters (the run the committed notebook shows) and reports,
in its :class:`~helpers.results.AnalysisResult`, how it uses registry figures
(``figures_used``: :class:`~helpers.page.reproduce.FigureUse`) and which it
recomputes (``checks``). From those records each registry figure gets one
status:

``reproduced``        a notebook recomputes it from published inputs and it
                      matches at the precision the source printed;
``used as an input``  a notebook computes with it;
``synthetic``         a notebook only illustrates it on synthetic data;
``quoted only``       no notebook computes with it (it is in the registry, and
                      perhaps quoted on a page).

A figure used in several ways takes the first status in that order; the
ledger lists every use. The ledger fails (:class:`LedgerError`, and with it
the book build and the tests) when a figure marked reproduced no longer
matches: its check failed, was not applicable at the default parameters, is
missing, or the computed value no longer rounds to the value now in the
registry. Notebooks added later appear automatically: the notebooks are
found through :mod:`helpers.engine.catalog`.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from helpers.engine import catalog
from helpers.page.registry import PublishedFigure, load_registry
from helpers.page.reproduce import ReproductionCheck, ReproductionError, round_half_up
from helpers.results import AnalysisResult

#: Statuses in order of precedence.
STATUSES: tuple[str, ...] = ("reproduced", "used as an input", "synthetic", "quoted only")
STATUS_OF_ROLE: dict[str, str] = {
    "reproduced": "reproduced",
    "input": "used as an input",
    "synthetic": "synthetic",
    "quoted": "quoted only",
}
STATUS_MEANING: dict[str, str] = {
    "reproduced": "a notebook recomputes it from published inputs and it matches at the published precision",
    "used as an input": "a notebook computes with it",
    "synthetic": "a notebook only illustrates it on synthetic data",
    "quoted only": "no notebook computes with it",
}


class LedgerError(AssertionError):
    """The notebooks' records contradict the registry: a figure marked reproduced no longer matches,
    or a use cannot be placed. ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("the evidence ledger cannot be built:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Use:
    """One notebook's use of a figure (its role, as the notebook records it)."""

    notebook: str
    role: str


@dataclass(frozen=True)
class LedgerRow:
    figure: PublishedFigure
    status: str
    uses: tuple[Use, ...]
    checks: tuple[str, ...]  # one line per reproduction check of the figure

    @property
    def notebooks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u.notebook for u in self.uses))


def notebook_results(entries: Iterable[catalog.Entry] | None = None) -> dict[str, AnalysisResult]:
    """Each notebook's results at its default parameters, by notebook stem (all notebooks by default)."""
    out: dict[str, AnalysisResult] = {}
    for entry in catalog.entries() if entries is None else entries:
        module = entry.module
        try:
            out[entry.stem] = module.run(module.PARAMETERS.defaults())
        except ReproductionError as err:  # the notebook's own check of a reproduced figure failed
            raise LedgerError([f"{entry.stem}: {err}"]) from err
    return out


def _verify(stem: str, check: ReproductionCheck, fig: PublishedFigure) -> list[str]:
    """Problems with a check of a figure marked reproduced, judged against the registry as it is now."""
    where = f"{stem}: {fig.id!r} is marked reproduced but"
    if check.status == "not applicable":
        return [f"{where} its check is not applicable at the default parameters ({check.reason or 'no reason given'})"]
    problems = []
    rounded = round_half_up(check.computed, fig.decimals)
    if rounded != float(fig.value):
        problems.append(
            f"{where} no longer matches: computed {check.computed:.6g} rounds to {rounded:.{fig.decimals}f} at the "
            f"published precision ({fig.decimals} decimal places), and the registry has {fig.value_text}"
        )
    if check.status != "reproduced":
        problems.append(f"{where} the notebook's own check says {check.status!r}: {check.sentence()}")
    return problems


def build_ledger(
    results: Mapping[str, AnalysisResult], registry: Mapping[str, PublishedFigure] | None = None
) -> list[LedgerRow]:
    """One row per registry figure, in registry order, with its status computed from ``results``.

    Raises :class:`LedgerError` listing every problem if any record contradicts the registry.
    """
    registry = load_registry() if registry is None else registry
    uses: dict[str, list[Use]] = defaultdict(list)
    lines: dict[str, list[str]] = defaultdict(list)
    problems: list[str] = []
    for stem, result in results.items():
        if result.notebook != stem:
            problems.append(f"{stem}: its results name another notebook, {result.notebook!r}")
        checks: dict[str, list[ReproductionCheck]] = defaultdict(list)
        for c in result.checks:
            checks[c.figure_id].append(c)
        marked = {u.figure_id for u in result.figures_used if u.role == "reproduced"}
        for fid in checks:
            if fid not in marked:
                problems.append(f"{stem}: records a reproduction check of {fid!r} but does not mark it reproduced")
        for use in result.figures_used:
            fig = registry.get(use.figure_id)
            if fig is None:
                problems.append(f"{stem}: uses {use.figure_id!r}, which is not in the registry")
                continue
            if use.role not in STATUS_OF_ROLE:
                problems.append(
                    f"{stem}: uses {fig.id!r} in role {use.role!r}: expected one of {', '.join(STATUS_OF_ROLE)}"
                )
                continue
            uses[fig.id].append(Use(stem, use.role))
            if use.role != "reproduced":
                continue
            if use.status and use.status != "reproduced":
                problems.append(f"{stem}: {fig.id!r} is marked reproduced but its recorded status is {use.status!r}")
            if not checks[fig.id]:
                problems.append(
                    f"{stem}: {fig.id!r} is marked reproduced but the notebook records no reproduction check of it"
                )
            for c in checks[fig.id]:
                problems.extend(_verify(stem, c, fig))
                rounded = round_half_up(c.computed, fig.decimals)
                lines[fig.id].append(f"{stem}: computed {c.computed:.6g}, rounds to {rounded:.{fig.decimals}f}")
    if problems:
        raise LedgerError(problems)
    rows = []
    for fid, fig in registry.items():
        roles = {STATUS_OF_ROLE[u.role] for u in uses[fid]}
        status = next((s for s in STATUSES if s in roles), "quoted only")
        unique = tuple(dict.fromkeys(uses[fid]))
        rows.append(LedgerRow(fig, status, unique, tuple(lines[fid])))
    return rows


def ledger() -> list[LedgerRow]:
    """The ledger of the compendium: every notebook run at its defaults, against the registry."""
    return build_ledger(notebook_results())


# ---------------------------------------------------------------- presenting it
def _uses_text(row: LedgerRow) -> str:
    return "; ".join(f"{u.notebook} ({STATUS_OF_ROLE[u.role]})" for u in row.uses)


def ledger_table(rows: list[LedgerRow]) -> pd.DataFrame:
    """The ledger as plain text columns (one row per registry figure)."""
    return pd.DataFrame(
        [
            {
                "id": r.figure.id,
                "study": r.figure.study,
                "measure": r.figure.measure,
                "value": r.figure.value_with_unit,
                "source": r.figure.citation(),
                "evidence": r.figure.evidence,
                "notebooks": _uses_text(r),
                "status": r.status,
                "check": "; ".join(r.checks),
            }
            for r in rows
        ]
    )


def summary_table(rows: list[LedgerRow]) -> pd.DataFrame:
    """How many registry figures have each status, and what the status means."""
    counts = {s: sum(r.status == s for r in rows) for s in STATUSES}
    return pd.DataFrame(
        [{"status": s, "figures": counts[s], "meaning": STATUS_MEANING[s]} for s in STATUSES]
        + [{"status": "all", "figures": len(rows), "meaning": "every figure in the registry"}]
    )


def ledger_html(rows: list[LedgerRow], notebook_href: str = "../notebooks/{stem}.html") -> str:
    """The ledger as an HTML table for the book: one block per study (in registry order), each
    notebook linked to its page."""
    small = 'class="ledger-note" style="font-size:0.85em"'  # its colour: book/_static/compendium.css

    def uses(row: LedgerRow) -> str:
        if not row.uses:
            return "—"
        return "<br/>".join(
            f'<a href="{html.escape(notebook_href.format(stem=u.notebook))}">{html.escape(u.notebook)}</a> '
            f"({html.escape(STATUS_OF_ROLE[u.role])})"
            for u in row.uses
        )

    head = ["measure and source", "value", "status", "notebooks (use)", "evidence"]
    studies = list(dict.fromkeys(r.figure.study for r in rows))
    body = []
    for study in studies:
        body.append(
            f'<tr class="ledger-study"><th colspan="{len(head)}" style="text-align:left;padding-top:1em">'
            f"{html.escape(study)}</th></tr>"
        )
        for r in (r for r in rows if r.figure.study == study):
            f = r.figure
            check = "".join(f"<br/><span {small}>{html.escape(c)}</span>" for c in r.checks)
            cells = [
                f"{html.escape(f.measure)}<br/><span {small}>{html.escape(f.citation())} "
                f"(<code>{html.escape(f.id)}</code>)</span>",
                html.escape(f.value_with_unit),
                f"<strong>{html.escape(r.status)}</strong>{check}",
                uses(r),
                html.escape(f.evidence),
            ]
            body.append(
                f'<tr class="ledger-{r.status.replace(" ", "-")}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
            )
    return (
        '<table class="compendium-table ledger" border="0"><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )
