"""Evaluations: facts, scores, texts and findings of one evaluation of one municipality."""
