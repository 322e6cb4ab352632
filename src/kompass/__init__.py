"""Kommunkompassen: evaluations of how municipalities are governed and led."""

__version__ = "0.1.0"
