"""Validation stage: every row, cross-file and cross-month check of a month's files (docs/rules.md, 校验)."""
