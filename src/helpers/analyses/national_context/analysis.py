"""The national_context analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.engine.paths import sha256_file
from helpers.page import reproduce
from helpers.page.registry import registry_input
from helpers.page.reproduce import FigureUse, ReproductionCheck
from helpers.results import AnalysisResult, Section

from .data import WORKFORCE_YEARS, NationalData, read_data, reading_section
from .england import children_section, england_share, latest_count, reproduction_checks
from .files import read_files
from .local_authorities import association_section, authorities, funnel_section
from .model import turnover_section
from .parameters import PARAMETERS
from .workforce import workforce_section


def check_inputs(params: Mapping[str, Any]) -> None:
    """Refuse a ``dfe_data_dir`` without the expected files, or with files of another layout,
    before a kernel starts (called by ``compendium run``)."""
    p = PARAMETERS.validate(params)
    if p.dfe_data_dir:
        read_files(p.dfe_data_dir)


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters, section by section of the page."""
    p = PARAMETERS.validate(params)
    data = read_data(p.dfe_data_dir)
    checks = reproduction_checks(data)
    reproduce.require(checks)
    share = england_share(data)
    la = authorities(data, p, share) if data.from_files else None
    page = Section.joined(
        [
            children_section(data, p, checks),  # 1. children looked after with three or more social workers
            funnel_section(la, p),  # 2. how much local authorities differ
            turnover_section(data, share, latest_count(data)[0], p),  # 3. would turnover alone explain it?
            workforce_section(data, checks),  # 4. the workforce: caseloads, turnover and agency workers
            association_section(la, p),  # 5. workforce and changes of worker, authority by authority
            reading_section(data),  # 6. reading the official files
        ]
    )
    return AnalysisResult(
        notebook="national_context",
        params=dict(p),
        scalars=page.scalars,
        tables=page.tables,
        data=page.data,
        checks=checks,
        figures_used=_figures_used(data, checks),
        inputs=_inputs(data),
    )


def _inputs(data: NationalData) -> dict[str, str]:
    """The registry and every file read, with their digests."""
    inputs = dict(registry_input())
    for path in data.files.values():
        inputs[str(path)] = sha256_file(path)
    return inputs


def _figures_used(data: NationalData, checks: list[ReproductionCheck]) -> list[FigureUse]:
    """Every published figure the page uses, and how (built from the registry, the whole workforce series)."""
    figures_used = [
        FigureUse("dfe_cla_total_2024", "input"),
        FigureUse("dfe_cla_3plus_sw_2024", "input"),
        FigureUse("dfe_cla_3plus_sw_pct_2024", "reproduced", checks[0].status),
        FigureUse("dfe_cla_headline_2024", "input"),
        FigureUse("dfe_cla_barnet_2024", "input"),
        FigureUse("dfe_cases_2025", "input"),
        FigureUse("dfe_case_holders_fte_2025", "input"),
        FigureUse("dfe_caseload_2025", "reproduced", checks[1].status),
        FigureUse("dfe_leavers_fte_2025", "input"),
        FigureUse("dfe_fte_social_workers_2025", "input"),
        FigureUse("dfe_turnover_2025", "reproduced", checks[2].status),
        FigureUse("dfe_agency_fte_2025", "input"),
        FigureUse("dfe_agency_rate_2025", "reproduced", checks[3].status),
        FigureUse("dfe_turnover_2024", "input"),
        FigureUse("dfe_agency_rate_2024", "input"),
        FigureUse("frontline_workers_per_case_low", "quoted"),
        FigureUse("frontline_workers_per_case_high", "quoted"),
    ]
    if not data.from_files:
        figures_used += [
            FigureUse(f"dfe_{m}_{y}", "input")
            for y in WORKFORCE_YEARS
            if y != 2025
            for m in ("fte_social_workers", "caseload", "turnover", "agency_rate")
            if (m, y) != ("turnover", 2024)
        ]
    return figures_used
