"""Heads registered into mmaction2's MODELS."""
