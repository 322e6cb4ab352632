"""One door for writes, enforced: an evaluation, its scores, texts, findings and
evaluators, the workspace's records of the work on it (assignments, independent scores,
evidence, pre-visit answers, follow-up, audit trail, revisions) and the action plans are
written only by their service modules, which check, lock, audit, keep the revisions and
the search index. The admin shows them read-only.

The scan reads the source (``ast``): a write is a call of ``save``/``delete`` on a
value known to be such a model (a parameter annotated with it, a name bound to
``Model(...)``, ``Model.objects…`` or ``get_object_or_404(Model, …)``, or a name or
attribute spelled as the model is: ``evaluation``, ``area_assessment``), or a write
method (``create``, ``get_or_create``, ``update_or_create``, ``bulk_create``,
``bulk_update``, ``update``, ``delete``) on a chain starting at ``Model.objects`` or at
such a value's related manager (``evaluation.evaluators.create(…)``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kompass"

# Each family of models and the modules that are its door ("a.b" holds a.b and a.b.*).
DOORS = {
    ("Evaluation", "Evaluator", "AreaAssessment", "QuestionAssessment", "Finding"): ["kompass.evaluations.services"],
    (
        "Assignment", "Evidence", "IndependentScore", "PrevisitAnswer", "PrevisitAttachment", "FollowUpItem", "AuditEntry", "Revision", "Schedule",
    ): ["kompass.workspace.services", "kompass.workspace.guards"],
    ("Action", "ActionNote", "ActionPlan"): ["kompass.actions.services"],
    ("Notification", "NotificationChoice", "AnswersDone"): ["kompass.notifications.services"],
}

# Writers outside the doors that are known and meant, with why. Keep this short.
KNOWN = {
    # National-scale synthetic data: the evaluations by bulk_create in batches, their rows
    # as plain tuples (kompass.generate.write: executemany or COPY, which this scan does
    # not see), each evaluation checked with the services' own checks (scoring.check,
    # facts_problems) first.
    "kompass.generate.build": {"Evaluation", "Evaluator", "AreaAssessment", "QuestionAssessment", "Finding"},
}

WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update", "delete"}
INSTANCE_WRITES = {"save", "delete"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _family(model: str) -> tuple[str, ...]:
    return next(family for family in DOORS if model in family)


WATCHED = {model for family in DOORS for model in family}
# Names that hold these models by habit, besides their own spelled names.
ALIASES = {"assessment": "QuestionAssessment", "agreed": "QuestionAssessment", "answer": "PrevisitAnswer", "note": "ActionNote"}
SPELLED = {_snake(model): model for model in WATCHED} | ALIASES


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _may_write(module: str, model: str) -> bool:
    doors = DOORS[_family(model)]
    return any(module == door or module.startswith(door + ".") for door in doors) or model in KNOWN.get(module, set())


def _models_in(node) -> set[str]:
    """Watched model names an annotation names (``Evaluation``, ``Evaluation | None``, "Evaluation")."""
    if node is None:
        return set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {name for name in re.findall(r"\w+", node.value) if name in WATCHED}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in WATCHED}


def _root(node) -> ast.AST:
    """The start of a chain of attributes and calls: ``Model`` in ``Model.objects.filter(…).first()``."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _manager_model(node) -> str | None:
    """The model of a chain that starts at ``Model.objects``."""
    chain = node
    while isinstance(chain, (ast.Attribute, ast.Call, ast.Subscript)):
        inner = chain.func if isinstance(chain, ast.Call) else chain.value
        if isinstance(chain, ast.Attribute) and chain.attr == "objects" and isinstance(inner, ast.Name) and inner.id in WATCHED:
            return inner.id
        chain = inner
    return None


def _value_model(node) -> str | None:
    """The model an assigned value is an instance (or queryset) of, where the code says so."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in WATCHED:
            return node.func.id
        if node.func.id in ("get_object_or_404", "get_list_or_404") and node.args and isinstance(node.args[0], ast.Name):
            return node.args[0].id if node.args[0].id in WATCHED else None
    return _manager_model(node)


def _typed_names(scope) -> dict[str, str]:
    """Names in a function (or module) known to hold a watched model's instance."""
    typed = {}
    for node in ast.walk(scope):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                models = _models_in(arg.annotation)
                if len(models) == 1:
                    typed[arg.arg] = models.pop()
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            model = _value_model(node.value) if node.value is not None else None
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Tuple) and target.elts and model:  # row, created = Model.objects.get_or_create(…)
                    target = target.elts[0]
                if isinstance(target, ast.Name) and model:
                    typed[target.id] = model
        elif isinstance(node, ast.For):
            model = _manager_model(node.iter)
            if model and isinstance(node.target, ast.Name):
                typed[node.target.id] = model
    return typed


def _instance_model(node, typed: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return typed.get(node.id) or SPELLED.get(node.id)
    if isinstance(node, ast.Attribute):
        return SPELLED.get(node.attr)
    return None


def _relations() -> dict[tuple[str, str], str]:
    """(model, accessor) → related model, for the watched models' relations."""
    from django.apps import apps

    found = {}
    for model in apps.get_models():
        if model.__name__ not in WATCHED:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            accessor = field.get_accessor_name() if field.auto_created and not field.concrete else field.name
            if related is not None and related.__name__ in WATCHED and accessor:
                found[(model.__name__, accessor)] = related.__name__
    return found


def writes(source: str, relations: dict[tuple[str, str], str]) -> list[tuple[int, str, str]]:
    """Every write to a watched model in ``source``: (line, model, call)."""
    tree = ast.parse(source)
    scopes = [tree, *[n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]]
    found = {}
    for scope in scopes:
        typed = _typed_names(scope) if scope is not tree else {}
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method, receiver = node.func.attr, node.func.value
            model = None
            if method in WRITES:
                model = _manager_model(receiver)
                if model is None:  # evaluation.evaluators.create(…), evaluation.evaluators.all().delete()
                    chain = receiver
                    while isinstance(chain, ast.Call) or (isinstance(chain, ast.Attribute) and chain.attr in ("all", "filter", "exclude")):
                        chain = chain.func if isinstance(chain, ast.Call) else chain.value
                    if isinstance(chain, ast.Attribute):
                        owner = _instance_model(chain.value, typed)
                        model = relations.get((owner, chain.attr)) if owner else None
            if model is None and method in INSTANCE_WRITES and not node.args:
                model = _instance_model(receiver, typed)
            if model is not None:  # a function's own scope, which knows more, has the last word
                found[(node.lineno, node.col_offset)] = (node.lineno, model, f"{ast.unparse(node.func)}(…)")
    return sorted(found.values())


def violations() -> list[str]:
    relations = _relations()
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = _module_name(path)
        for line, model, call in writes(path.read_text(), relations):
            if not _may_write(module, model):
                doors = " or ".join(DOORS[_family(model)])
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {call} writes {model} outside {doors}")
    return problems


def test_only_the_services_write_evaluations_their_work_and_action_plans():
    found = violations()
    assert not found, "writes outside the service modules (add a service function and call it):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "def f(evaluation):\n    evaluation.save()\n",
        "def f(e: 'Evaluation'):\n    e.status = 'x'\n    e.save(update_fields=['status'])\n",
        "def f():\n    QuestionAssessment.objects.filter(score=None).update(score=1)\n",
        "def f(a):\n    row, _c = AreaAssessment.objects.get_or_create(evaluation=a)\n",
        "def f(pk):\n    x = get_object_or_404(Action, pk=pk)\n    x.delete()\n",
        "def f(evaluation):\n    evaluation.evaluators.create(name='A')\n",
        "def f(item):\n    item.evaluation.save()\n",
    ],
)
def test_the_scan_sees_the_ways_a_write_is_spelled(source):
    assert writes(source, _relations()), source


@pytest.mark.parametrize(
    "source",
    [
        "def f(book, buffer):\n    book.save(buffer)\n",
        "def f(context):\n    context.update(saved=True)\n",
        "def f():\n    IndexStamp.objects.filter(evaluation_id=1).delete()\n",
        "def f(evaluation):\n    Evaluation.objects.filter(pk=evaluation.pk).first()\n",
    ],
)
def test_the_scan_leaves_other_writes_and_reads_alone(source):
    assert not writes(source, _relations()), source


def test_the_admin_is_read_only_for_the_same_models(rf, django_user_model):
    """The admin shows these models but cannot add, change or delete them (its saves would
    skip the lifecycle, the audit trail, the revisions and the search index)."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = django_user_model(username="root", is_staff=True, is_superuser=True)
    registered = {model.__name__: model_admin for model, model_admin in admin.site._registry.items() if model.__name__ in WATCHED}
    assert registered, "none of the models is in the admin: this test checks nothing"
    for name, model_admin in registered.items():
        for permission in (model_admin.has_add_permission(request), model_admin.has_change_permission(request), model_admin.has_delete_permission(request)):
            assert permission is False, name
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None) and not inline.has_change_permission(request), (name, type(inline).__name__)
