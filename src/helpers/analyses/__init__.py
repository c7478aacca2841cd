"""The analyses: one module (or subpackage) per evaluation, each declaring ``PARAMETERS`` and ``KINDS`` and a ``run()`` that returns an ``AnalysisResult``."""
