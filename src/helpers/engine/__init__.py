"""The engine: running analyses outside a notebook page and keeping what runs produce.

``cli`` (the ``compendium`` command), ``runner`` (one run: papermill, output folders),
``sweep`` (grids of runs on a Dask cluster), ``cache`` (the run cache), ``catalog`` (the
analyses and their notebooks), ``paths`` (the compendium's folders), ``yamlio`` (parameter and
grid files), ``provenance`` (content digests a reader can check).
"""
