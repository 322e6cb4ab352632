"""Rows written once and never changed or deleted: the audit trails."""


class AppendOnly:
    """A model mixin: saving an existing row or deleting one raises PermissionError."""

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows cannot be deleted")
