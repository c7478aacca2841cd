"""Citation and licences: code under MIT, text and figures under CC BY 4.0, stated where readers look."""

from __future__ import annotations

import yaml

from helpers.engine.paths import ROOT


def test_citation_file():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] and cff["authors"] and cff["message"]
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}


def test_licences_are_stated_in_readme_footer_and_licence_file():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "MIT" in readme and "CC BY 4.0" in readme
    footer = yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["extra_footer"]
    assert "MIT" in footer and "CC BY 4.0" in footer
