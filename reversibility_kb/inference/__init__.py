"""The rulebook and the engine: rules read and checked, a case flattened into facts, the
durable_rules run, and its findings with their provenance."""
