"""Judging a model: evaluation, the stored evaluation, diagnosis, the report, charts, explanations."""
