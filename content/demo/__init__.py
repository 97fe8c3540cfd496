"""Demo content of the seu: YAML data files and the idempotent loader that builds the site."""
