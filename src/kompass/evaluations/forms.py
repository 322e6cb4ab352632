"""Forms for the admin: every one validates through the same functions as the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompass import scoring
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation, Source


class EvaluationForm(forms.ModelForm):
    sources = forms.MultipleChoiceField(
        label=gettext_lazy("källor"), choices=Source.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Evaluation
        exclude = ["total_score"]

    def clean(self):
        data = super().clean()
        municipality, framework = data.get("municipality"), data.get("framework")
        if self.instance.pk and framework and framework != self.instance.framework and self.instance_has_scores():
            self.add_error("framework", _("Versionen kan inte bytas när utvärderingen har poäng."))
        if municipality and framework and data.get("year") is not None:
            facts = services.Facts(**{f: data.get(f) for f in services.Facts.__dataclass_fields__ if f in data})
            facts.sources = tuple(data.get("sources") or ())
            for problem in services.evaluation_problems(
                municipality=municipality, framework=framework, facts=facts, exclude_pk=self.instance.pk
            ):
                raise ValidationError(problem)
        return data

    def instance_has_scores(self) -> bool:
        return (
            self.instance.total_score is not None
            or self.instance.question_assessments.filter(score__isnull=False).exists()
            or self.instance.area_assessments.filter(score__isnull=False).exists()
        )


class ScoresheetForm(forms.Form):
    """All scores of an evaluation on one form: sub-questions, areas where the
    sub-questions do not give them, and the total where the areas do not give it."""

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.framework = evaluation.framework.definition
        field = {"required": False, "max_digits": 6, "decimal_places": 2, "min_value": 0}
        for area in self.framework.areas:
            for question in area.questions:
                self.fields[f"q_{question.id}"] = forms.DecimalField(
                    label=f"{question.id} {question.text}", max_value=question.max_points, **field
                )
            self.fields[f"a_{area.number}"] = forms.DecimalField(
                label=_("Område %(number)s %(title)s") % {"number": area.number, "title": area.title},
                max_value=area.max_points,
                help_text=_("Lämnas tomt när alla delfrågor har poäng: summan räknas fram."),
                **field,
            )
        self.fields["total"] = forms.DecimalField(
            label=_("Totalpoäng"), max_value=self.framework.max_points,
            help_text=_("Lämnas tomt när alla områden har poäng."), **field,
        )

    @classmethod
    def initial_for(cls, evaluation: Evaluation, sheet: scoring.Scoresheet) -> dict:
        initial = {f"q_{k}": v for k, v in sheet.questions.items()}
        initial.update({f"a_{k}": v for k, v in sheet.areas.items()})
        initial["total"] = sheet.total
        return initial

    def sheet(self) -> scoring.Scoresheet:
        data = self.cleaned_data
        questions = {q.id: data[f"q_{q.id}"] for q in self.framework.questions if data.get(f"q_{q.id}") is not None}
        areas: dict[int, Decimal] = {
            a.number: data[f"a_{a.number}"] for a in self.framework.areas if data.get(f"a_{a.number}") is not None
        }
        return scoring.Scoresheet(questions, areas, data.get("total"))

    def clean(self):
        data = super().clean()
        if not self.errors:
            for problem in scoring.check(self.framework, self.sheet()):
                raise ValidationError(str(problem))
        return data
