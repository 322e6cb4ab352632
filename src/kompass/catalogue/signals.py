"""What the catalogue tells the layers above it, which it may not import."""

from django.dispatch import Signal

# A version was loaded or changed its status; sent with ``using``, the database alias.
catalogue_changed = Signal()
