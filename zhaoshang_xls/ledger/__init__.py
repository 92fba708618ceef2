"""Ledger stage: the database of every accepted row, with provenance (SPEC §9)."""
