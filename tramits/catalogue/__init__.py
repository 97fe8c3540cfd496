"""The procedure catalogue: codes, terms, silence and departments (a public contract)."""
