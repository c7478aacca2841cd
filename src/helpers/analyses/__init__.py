"""The analyses: one module (or subpackage) per notebook, named by the notebook's stem.

Each declares ``PARAMETERS`` and ``KINDS`` and a ``run()`` that returns an ``AnalysisResult``.
"""
