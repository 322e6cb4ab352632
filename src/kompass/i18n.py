"""Translation for the plain-Python domain core.

The core has no Django imports, yet its messages reach users. Django's gettext is used
when Django is configured; otherwise (a script, a REPL) the Swedish source text is used
as it is.
"""


def gettext(message: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext as django_gettext

            return django_gettext(message)
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    return message


_ = gettext


def active_language(default: str = "sv") -> str:
    """The active language's code ("sv", "nb", "da", "en"), or ``default`` when Django is
    not configured or no language is active."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import get_language

            code = get_language()
            if code:
                return code.strip().lower().replace("_", "-").split("-")[0]
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    return default


def decimal_separator() -> str:
    """The active language's decimal separator: a comma in sv, nb and da, a point in en.
    A comma when Django is not configured (the Swedish source)."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.formats import get_format

            return get_format("DECIMAL_SEPARATOR")
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    return ","


def decimal_text(text: str) -> str:
    """A number already written with a point ("12.5"), with the active language's
    decimal separator."""
    return text.replace(".", decimal_separator())


def gettext_noop(message: str) -> str:
    """A message marked for translation but translated where it is shown (``_(MESSAGE)``)."""
    return message
