"""Use cases: one module per job. The only layer that opens the ledger or combines stages."""
