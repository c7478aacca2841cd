"""Inputs: data a user brings, read and checked before any analysis sees it.

``records`` (case-level records files and their schemas), ``dfe`` (DfE official-statistics
files), ``suppression`` (small-number suppression before anything is shown).
"""
