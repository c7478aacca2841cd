"""Statistics shared by the analyses, each tested against an independent implementation.

``proportions`` (intervals and exact tests for a share), ``clustered`` (cluster-robust and
count-model estimators), ``cluster_power`` (power of cluster-randomised designs),
``sensitivity`` (one-way and probabilistic sensitivity analysis), ``replicates`` (what a
synthetic reconstruction shows across many draws).
"""
