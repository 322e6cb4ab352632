"""The workspace pages, one module per part of the work. Thin: access from
``workspace.access``, writes through ``workspace.services``, reads through
``workspace.selectors``; what they share is in ``common``.

Every field saves in place: a form posted by htmx gets its own fragment back (saved,
refused with the reason, or in conflict with someone else's newer version); without
JavaScript the same form posts normally and the page comes back."""
