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
