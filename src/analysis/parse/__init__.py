"""Document → records + issues: the statistical tables, the narrative, the metadata and the checks."""
