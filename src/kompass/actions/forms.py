"""The forms of the action-plan editor, as Django forms. They read what was posted and
hand it to the services exactly as typed: the services check it (the one door for
writes) and refuse with their own messages, which the refused form then shows, open,
with what was typed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PostedText(forms.CharField):
    """A posted value as typed, "" when absent. No checks of its own (not even Django's
    null character check): the service checks it and words the message."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)
        self.validators = []


class PlanForm(forms.Form):
    """A form of the editor page; ``form_id`` is its id there ("andra-12"), which the
    page's error summary links to."""

    def __init__(self, data=None, *, form_id: str, initial: dict | None = None):
        super().__init__(data, initial=initial)
        self.id = form_id

    @property
    def values(self) -> dict:
        """What the inputs show: what was typed after a refusal, otherwise the stored values."""
        return {name: "" if self[name].value() is None else self[name].value() for name in self.fields}

    @property
    def open(self) -> bool:
        return bool(self.non_field_errors())

    def refuse(self, exc: ValidationError) -> None:
        self.add_error(None, list(exc.messages))


class ActionForm(PlanForm):
    title = PostedText()
    owner = PostedText()
    start = PostedText()
    due = PostedText()
    indicator = PostedText()
    description = PostedText()


class StatusForm(PlanForm):
    status = PostedText()
    date = PostedText()
    note = PostedText()


class NoteForm(PlanForm):
    date = PostedText()
    text = PostedText()


class DeleteForm(PlanForm):
    """Nothing to type: the confirmation is the button."""


class PublishForm(PlanForm):
    public = PostedText()

    def clean(self):
        choice = self.cleaned_data.get("public", "")
        if choice not in ("0", "1"):
            raise ValidationError(_("publicering: välj att publicera (1) eller sluta publicera (0), inte %(value)r") % {"value": choice})
        return {"public": choice == "1"}
