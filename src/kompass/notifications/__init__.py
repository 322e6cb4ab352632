"""Notifications: who is told what happened to an evaluation (shared with the
municipality, the municipality's answers done, scores handed in, consensus ready,
published), in the workspace and by e-mail, as each user chooses."""
