"""Compute stage: pure functions over DataFrames and dataclasses; no file or database access."""
