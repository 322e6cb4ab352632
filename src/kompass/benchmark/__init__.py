"""Benchmark references: computed averages with their counts, and published values."""
