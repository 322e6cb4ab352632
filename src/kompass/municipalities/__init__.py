"""Municipalities and counties with their official codes."""
