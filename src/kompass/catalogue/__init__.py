"""The framework catalogue: Kommunkompassen's versions, areas and sub-questions as data."""
