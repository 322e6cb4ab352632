"""Importers that turn published results (tables, reports) into evaluations."""
