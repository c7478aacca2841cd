"""Small files in the layout of DfE's official statistics, with made-up authorities, for tests that must
run anywhere (:func:`write_synthetic`). The real files are found by :mod:`shared_files`.
"""

from __future__ import annotations

from pathlib import Path

# ------------------------------------------------------------------ synthetic files in the same layout
SW_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,cla_group,sw_stability,number,percentage"
)
WF_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,inpost_fte,leavers_fte,turnover_rate_fte,agency_fte,agency_rate_fte,"
    "case_holders_fte,cases,caseload_fte"
)
#: name, code, region, children looked after, of whom three or more social workers ("c" = suppressed by DfE)
LAS = [
    ("Alpha", "E06000901", "North East", 100, 30),
    ("Beta", "E06000902", "North East", 80, 3),
    ("Gamma", "E06000903", "North East", 50, 10),
    ("Delta", "E06000904", "North West", 40, 12),
    ("Epsilon", "E06000905", "North West", 60, "c"),
    ("Zeta", "E06000906", "North West", 120, 40),
]
REGIONS = {"North East": "E12000001", "North West": "E12000002"}


def write_synthetic(folder, bom=True):
    """Write ``la_cla_swcount.csv`` (2024: England, two regions and the authorities of :data:`LAS`) and
    ``csww_indicators_2023_to_2024.csv`` (England and each authority, 2023 and 2024) into ``folder``."""
    lines = [SW_HEADER]
    nat_total, nat_three = sum(la[3] for la in LAS), sum(la[4] for la in LAS if la[4] != "c")
    england = "2024,Reporting year,{level},E92000001,England,{rc},{rn},{old},{name},{code},CLA on 31 March,{label},{n},"
    for label, n in (("Total children", nat_total), ("3 or more social workers during the year", nat_three)):
        lines.append(england.format(level="National", rc="", rn="", old="", name="", code="", label=label, n=n))
    for region, rc in REGIONS.items():
        rows = [la for la in LAS if la[2] == region]
        for label, n in (
            ("Total children", sum(la[3] for la in rows)),
            ("3 or more social workers during the year", sum(la[4] for la in rows if la[4] != "c")),
        ):
            lines.append(england.format(level="Regional", rc=rc, rn=region, old="", name="", code="", label=label, n=n))
    for i, (name, code, region, total, three) in enumerate(LAS):
        for label, n in (("Total children", total), ("3 or more social workers during the year", three)):
            lines.append(
                england.format(
                    level="Local authority",
                    rc=REGIONS[region],
                    rn=region,
                    old=900 + i,
                    name=name,
                    code=code,
                    label=label,
                    n=n,
                )
            )
    (folder / "la_cla_swcount.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n".join(lines) + "\n").encode())
    wf = [WF_HEADER]
    for year, scale in ((2023, 1.0), (2024, 1.1)):
        wf.append(
            f"{year},Reporting year,National,E92000001,England,,,,,,1000,{150 * scale:.1f},{15 * scale:.1f},"
            f"100,9.1,600,9000,15"
        )
        for i, (name, code, region, *_rest) in enumerate(LAS):
            turnover = 10 + 3 * i
            wf.append(
                f"{year},Reporting year,Local authority,E92000001,England,{REGIONS[region]},{region},{900 + i},"
                f"{code},{name},100,{turnover},{turnover},{i + 5},{(i + 5) / (i + 105) * 100:.1f},60,"
                f"{900 + 30 * i},{(900 + 30 * i) / 60:.1f}"
            )
    (folder / "csww_indicators_2023_to_2024.csv").write_text("\n".join(wf) + "\n")
    return folder


HEADLINE_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000"
)


def write_headline(folder, counts: dict[str, int | str], years=(2024, 2025)):
    """Write ``cla_number_and_rate_per_10k_children.csv``: DfE's headline count of children looked after on
    31 March, for England (the sum of ``counts``) and each authority of :data:`LAS` (``counts`` by name; an
    authority not named keeps its count in the social worker table), for each of ``years`` (the latest a later
    release's year, as in DfE's file)."""
    folder = Path(folder)
    label = "Children looked after on 31 March each year"
    lines = [HEADLINE_HEADER]
    for year in years:
        by_la = {name: counts.get(name, total) for name, _code, _region, total, _three in LAS}
        national = sum(n for n in by_la.values() if not isinstance(n, str))
        lines.append(f"{year},Reporting year,National,E92000001,England,,,,,,{label},100000,{national},50")
        for i, (name, code, region, _total, _three) in enumerate(LAS):
            lines.append(
                f"{year},Reporting year,Local authority,E92000001,England,{REGIONS[region]},{region},{900 + i},"
                f"{name},{code},{label},10000,{by_la[name]},50"
            )
    (folder / "cla_number_and_rate_per_10k_children.csv").write_text("\n".join(lines) + "\n")
    return folder
