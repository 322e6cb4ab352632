"""Reading published evaluations: ``show``, ``report`` and ``compare``."""

from __future__ import annotations

import json
from pathlib import Path

from kompass.cli.common import CommandError, evaluation_from_args, require_database
from kompass.output_files import written_whole


def cmd_show(args) -> None:
    from kompass.evaluations.documents import evaluation_document
    from kompass.evaluations.selectors import evaluation_result
    from kompass.reports.overview import overview_text

    evaluation = evaluation_from_args(args)
    result = evaluation_result(evaluation)
    if args.json:
        print(json.dumps(evaluation_document(evaluation, result), ensure_ascii=False, indent=2))
    else:
        print(overview_text(evaluation, result))


def cmd_report(args) -> None:
    from kompass.i18n import _
    from kompass.reports.formats import render_report

    path = Path(args.output)
    if not path.parent.is_dir():
        raise CommandError(_("%(dir)s: mappen finns inte") % {"dir": path.parent})
    evaluation = evaluation_from_args(args)
    rendered = render_report(evaluation, args.format, language=args.language)
    with written_whole(path) as target:
        target.write_bytes(rendered.content)
    print(_("Skrev %(file)s (%(size)s kB)") % {"file": path, "size": round(len(rendered.content) / 1024)})


def cmd_compare(args) -> None:
    from kompass.catalogue.definitions import VERSION_ID
    from kompass.comparison import NotComparable
    from kompass.evaluations.selectors import evaluation_comparison, evaluation_get
    from kompass.i18n import _
    from kompass.reports.overview import comparison_document, comparison_text

    require_database()
    evaluations = []
    for spec in (args.earlier, args.later):
        year, _sep, version = spec.partition(":")
        if not year.isdigit():
            raise CommandError(_("ogiltigt år %(spec)r: ange ÅÅÅÅ eller ÅÅÅÅ:VERSION") % {"spec": spec})
        if version and not VERSION_ID.fullmatch(version):
            raise CommandError(_("ogiltig version %(spec)r: ange ÅÅÅÅ:VERSION, till exempel 2012:2010") % {"spec": spec})
        evaluations.append(evaluation_get(code=args.code, year=int(year), framework=version or None, country=args.country))
    earlier, later = evaluations
    try:
        comparison = evaluation_comparison(earlier, later)
    except NotComparable as exc:
        return _compare_across(args, earlier, later, exc)
    if args.json:
        print(json.dumps(comparison_document(earlier, later, comparison), ensure_ascii=False, indent=2))
    else:
        print(comparison_text(earlier, later, comparison))


def _compare_across(args, earlier, later, refusal) -> None:
    """Two versions: the pairs of their crosswalk, marked; without one the refusal stands."""
    from kompass.comparison import NotComparable, compare_across, crosswalk_document, crosswalk_text
    from kompass.evaluations.selectors import evaluation_label, evaluation_result
    from kompass.i18n import _

    try:
        comparison = compare_across(evaluation_result(earlier), evaluation_result(later))
    except NotComparable:
        raise CommandError(f"{earlier.municipality.name} {earlier.year} → {later.year}: {refusal}")
    if args.json:
        municipality = later.municipality
        document = {
            "municipality": {"code": municipality.code, "name": municipality.name, "country": municipality.country},
            "earlier": {"year": earlier.year, "label": evaluation_label(earlier)},
            "later": {"year": later.year, "label": evaluation_label(later)},
            **crosswalk_document(comparison),
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        heading = _("Jämförelse %(earlier)s → %(later)s, %(municipality)s (version %(a)s → %(b)s)") % {
            "earlier": earlier.year, "later": later.year, "municipality": later.municipality.name,
            "a": earlier.framework.code, "b": later.framework.code,
        }
        print(crosswalk_text(comparison, heading, str(earlier.year), str(later.year)))
