"""Metrics registered into mmaction2's METRICS."""
