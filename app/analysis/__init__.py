"""Per-value analysis: aggregation in the database, so pages stay light however many pins."""
