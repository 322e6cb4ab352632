"""Writes of the catalogue: loading a version (from the owner's file or the package),
changing its status. Everything is checked before anything is written.

A version that any evaluation uses (or a published comparison value refers to) is
frozen: a load may correct its wording, which is recorded (``CatalogueChange``), but
not change its structure or maxima; the owner derives a new version instead (``--as``).
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kompass.catalogue import definitions, files, registry
from kompass.catalogue.changes import status_problem, structure_changes, wording_changes
from kompass.catalogue.definitions import VERSION_ID, CatalogueError
from kompass.catalogue.models import Area, CatalogueChange, Crosswalk, CrosswalkPair, Framework, Question
from kompass.catalogue.parsing import crosswalk_problems
from kompass.catalogue.signals import catalogue_changed
from kompass.i18n import _


@dataclass
class LoadResult:
    framework: definitions.Framework
    created: bool
    dry_run: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # wording: (what, before, after)
    revision: int = 0
    unchanged: bool = False


def catalogue_load(*, path: Path, as_id: str | None = None, dry_run: bool = False, by=None) -> LoadResult:
    """Load a version from a YAML or XLSX file; ``as_id``: as a new version with this id."""
    path = Path(path)
    if as_id is not None:
        if not VERSION_ID.fullmatch(as_id):
            raise CatalogueError(_("--as %(id)r: ett versions-id är 1–20 bokstäver, siffror eller bindestreck, till exempel 2024 eller 2020-NO") % {"id": as_id})
        if Framework.objects.filter(code=as_id).exists():
            raise CatalogueError(_("--as %(id)s: versionen finns redan; --as skapar en ny version (läs in filen utan --as för att rätta %(id)s)") % {"id": as_id})
    spec = files.read(path)
    if as_id is not None:
        spec = dataclasses.replace(spec, id=as_id, _questions={})
    return _apply(spec, source=path.name, dry_run=dry_run, by=by)


def frozen_by(code: str, using: str = "default") -> int:
    """How many evaluations use the version (published comparison values count as one)."""
    versions = Framework.objects.using(using).filter(code=code)
    count = versions.aggregate(count=Count("evaluations"))["count"]
    return count or int(versions.filter(publishedreference__isnull=False).exists())


def _who(by) -> tuple[object | None, str]:
    if by is None:
        try:
            return None, getpass.getuser()
        except (OSError, KeyError):
            return None, ""
    if isinstance(by, str):
        return None, by
    return by, by.get_username()


def _apply(spec: definitions.Framework, *, source: str, dry_run: bool = False, by=None, using: str = "default",
           digest: str = "", keep_status: bool = False) -> LoadResult:
    with transaction.atomic(using=using):
        known = registry.build(using)
        row = Framework.objects.using(using).select_for_update().filter(code=spec.id).first()
        current = known.get(spec.id)
        if row is not None and keep_status and status_problem(row.status, spec.status):
            spec = dataclasses.replace(spec, status=row.status, _questions={})  # the owner's later decision stands
        problems = crosswalk_problems(spec, {**known, spec.id: spec}, source)
        changes: list[tuple[str, str, str]] = []
        if current is not None:
            structural = structure_changes(current, spec)
            count = frozen_by(spec.id, using) if structural else 0
            if count:
                problems += [
                    _("%(source)s: version %(id)s är låst (används av %(count)s utvärderingar): %(change)s")
                    % {"source": source, "id": spec.id, "count": count, "change": change}
                    for change in structural
                ]
                problems.append(_("%(source)s: ändra inte en låst version; läs in filen som en ny version med --as ID") % {"source": source})
            if problem := status_problem(current.status, spec.status):
                problems.append(f"{source}: version {spec.id}: {problem}")
            changes = wording_changes(current, spec)
        if problems:
            raise CatalogueError(problems)
        result = LoadResult(framework=spec, created=current is None, dry_run=dry_run, changes=changes,
                            revision=row.revision if row else 0, unchanged=current == spec)
        if dry_run:
            return result
        user, name = _who(by)
        row = _write(spec, row, known, using)
        if digest:
            row.shipped_digest = digest
        row.revision += 1
        row.loaded_at = timezone.now()
        row.save(using=using)
        result.revision = row.revision
        entries = changes if current is not None else [("version", "", _("inläst från %(source)s") % {"source": source})]
        CatalogueChange.objects.using(using).bulk_create(
            CatalogueChange(framework=row, user=user, by=name, field=what, old=old, new=new) for what, old, new in entries
        )
        _changed(using)
    return result


def _write(spec: definitions.Framework, row: Framework | None, known: dict, using: str) -> Framework:
    values = {
        "name": spec.name, "max_points": spec.max_points, "in_use": spec.in_use, "description": spec.description,
        "about": spec.about, "owner": spec.owner, "language": spec.language, "status": spec.status,
        "public_questions": spec.public_questions, "translations": spec.translations,
    }
    if row is None:
        row = Framework.objects.using(using).create(code=spec.id, **values)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    Area.objects.using(using).filter(framework=row).exclude(number__in=[a.number for a in spec.areas]).delete()
    for area_spec in spec.areas:
        area, _created = Area.objects.using(using).update_or_create(
            framework=row, number=area_spec.number,
            defaults={"title": area_spec.title, "max_points": area_spec.max_points, "headings": list(area_spec.headings),
                      "guidance": registry.guidance_data(area_spec.guidance), "translations": area_spec.translations},
        )
        Question.objects.using(using).filter(area=area).exclude(code__in=[q.id for q in area_spec.questions]).delete()
        for position, q in enumerate(area_spec.questions, start=1):
            Question.objects.using(using).update_or_create(
                area=area, code=q.id,
                defaults={"text": q.text, "short": q.short, "subarea": q.subarea, "max_points": q.max_points,
                          "position": position, "guidance": registry.guidance_data(q.guidance),
                          "translations": q.translations},
            )
    Crosswalk.objects.using(using).filter(framework=row).delete()
    targets = dict(Framework.objects.using(using).filter(code__in=[c.to for c in spec.crosswalks]).values_list("code", "pk"))
    for c in spec.crosswalks:
        crosswalk = Crosswalk.objects.using(using).create(framework=row, target_id=targets[c.to], note=c.note)
        CrosswalkPair.objects.using(using).bulk_create(
            [CrosswalkPair(crosswalk=crosswalk, kind="area", source=str(a), target=str(b), position=i) for i, (a, b) in enumerate(c.areas)]
            + [CrosswalkPair(crosswalk=crosswalk, kind="question", source=a, target=b, position=i) for i, (a, b) in enumerate(c.questions)]
        )
    return row


def _changed(using: str) -> None:
    """Everyone sees the new catalogue: this process at once, cached public pages anew."""
    registry.clear()
    transaction.on_commit(registry.clear, using=using)
    catalogue_changed.send(sender=Framework, using=using)  # the evaluations app raises the data version


def catalogue_status(*, code: str, status: str, by=None) -> Framework:
    """Activate or retire a version: draft → active → retired, never back."""
    if status not in definitions.STATUSES:
        raise CatalogueError(_("okänd status %(value)r (möjliga: %(known)s)") % {"value": status, "known": ", ".join(definitions.STATUSES)})
    with transaction.atomic():
        row = Framework.objects.select_for_update().filter(code=code).first()
        if row is None:
            known = ", ".join(Framework.objects.values_list("code", flat=True))
            raise CatalogueError(_("okänd version %(version)r (kända: %(known)s)") % {"version": code, "known": known})
        if row.status == status:
            return row
        if problem := status_problem(row.status, status):
            raise CatalogueError(f"version {code}: {problem}")
        user, name = _who(by)
        CatalogueChange.objects.create(framework=row, user=user, by=name, field="status", old=row.status, new=status)
        row.status = status
        row.revision += 1
        row.loaded_at = timezone.now()
        row.save()
        _changed("default")
    return row


def catalogue_dir() -> Path | None:
    """``KOMPASS_CATALOGUE_DIR``: a directory of versions loaded on every migrate."""
    value = getattr(settings, "KOMPASS_CATALOGUE_DIR", None) or os.environ.get("KOMPASS_CATALOGUE_DIR")
    return Path(value) if value else None


def _sources() -> list[tuple[Path, str]]:
    paths = [(p, "paketet") for p in sorted(definitions.VERSIONS_DIR.glob("*.yaml"))]
    directory = catalogue_dir()
    if directory is not None:
        if not directory.is_dir():
            raise CatalogueError(_("KOMPASS_CATALOGUE_DIR %(dir)s: mappen finns inte") % {"dir": directory})
        paths += [(p, "KOMPASS_CATALOGUE_DIR") for p in sorted(directory.iterdir()) if p.suffix.lower() in files.SUFFIXES]
    return paths


def catalogue_sync(*, using: str = "default") -> None:
    """Load the shipped versions and those in ``KOMPASS_CATALOGUE_DIR``, each when new or
    when its file changed since it was last loaded from there. A frozen version's
    structure is never changed: such a file stops the migrate with the reasons."""
    pending = []
    for path, origin in _sources():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        row = Framework.objects.using(using).filter(shipped_digest=digest).first()
        if row is None:
            pending.append((files.read(path), path, origin, digest))
    while pending:  # a version first, then those whose crosswalks refer to it
        known = set(Framework.objects.using(using).values_list("code", flat=True))
        ready = [p for p in pending if all(c.to in known for c in p[0].crosswalks)] or pending[:1]
        for spec, path, origin, digest in ready:
            _apply(spec, source=path.name, by=origin, using=using, digest=digest, keep_status=True)
            pending.remove((spec, path, origin, digest))
