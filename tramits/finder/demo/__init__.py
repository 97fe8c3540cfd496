"""Demo content of the finder: the question tree and the search synonyms."""
