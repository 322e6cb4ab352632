"""Who may use which workspace address, and that nothing unpublished leaks.

Every role × every workspace address × an evaluation of their own and someone else's,
at each step of the lifecycle from collecting to published:

- the status: 200 (GET) or anything but 404 (POST) where the role has the address's
  Need, 404 otherwise, revealing nothing (the same 404 as for an evaluation that does
  not exist); an anonymous visitor is sent to the login page for every /arbete/ address,
  the same whether the evaluation exists or not;
- a refused POST changes nothing in the database and stores no file;
- no unpublished content leaks: unique marker strings, written into each evaluation
  through the services, appear only in responses to roles that may see them, never in a
  404, never on the public pages while the evaluation is unpublished, and never
  publicly at all where they are working material (evidence, answers, scores' reasons).

One test per role walks the lifecycle and lists every mismatch in one failure. The
expected rights are written out here (``NEEDS``), not read from ``access.py``.
"""

from __future__ import annotations

import datetime
import io
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import PASSWORD
from page_bytes import without_tokens
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, resolve
from django.utils import timezone
from pypdf import PdfWriter

from kompass.workspace.access import Need

N = Need

# --- what each role is to each evaluation, and what that lets them do ------------------

# Örebro 2026: anna and bo evaluate it, "kontakt" is Örebro's contact.
# Stockholm 2026: carl and dora evaluate it, "stockholm" (the stranger) is its contact.
# Both are shared with their municipality; for "contact-unshared" Örebro's is not.
RELATIONS = {
    "anonymous": {"orebro": None, "stockholm": None},
    "admin": {"orebro": "admin", "stockholm": "admin"},
    "anna": {"orebro": "lead", "stockholm": "none"},
    "bo": {"orebro": "evaluator", "stockholm": "none"},
    "carl": {"orebro": "none", "stockholm": "lead"},
    "contact-shared": {"orebro": "contact", "stockholm": "none"},
    "contact-unshared": {"orebro": "none", "stockholm": "none"},
    "stranger": {"orebro": "none", "stockholm": "contact"},
}
ROLES = list(RELATIONS)

NEEDS = {
    "admin": {N.VIEW, N.EVIDENCE, N.CONSENSUS, N.TEXTS, N.REPORT_FACTS, N.PREVISIT_READ, N.HISTORY, N.MANAGE, N.GAPS, N.TEAM},
    # The lead evaluator (the first assigned: anna, carl) moves, publishes, shares and
    # corrects; the others (bo) score, write and agree (issue 13, finding 1).
    "lead": {N.VIEW, N.EVIDENCE, N.SCORE, N.CONSENSUS, N.TEXTS, N.REPORT_FACTS, N.PREVISIT_READ, N.HISTORY, N.MANAGE, N.GAPS},
    "evaluator": {N.VIEW, N.EVIDENCE, N.SCORE, N.CONSENSUS, N.TEXTS, N.REPORT_FACTS, N.PREVISIT_READ, N.HISTORY, N.GAPS},
    "contact": {N.VIEW, N.PREVISIT_READ, N.PREVISIT_ANSWER, N.GAPS},
    "none": set(),
}

PHASES = ["collecting", "scoring", "consensus", "published"]  # Örebro is published in the last; Stockholm stays in consensus
CONSENSUS_ON = ("consensus", "published")
CODE = "1.1"
INTRUSION = "zqintrusionmark"  # what a refused POST tries to write


# --- the markers ------------------------------------------------------------------------

# Published with the evaluation: may appear publicly once (and only once) it is published.
PUBLISHABLE = ("areatext", "questiontext", "finding")
# Working material: never public, whatever the status.
PRIVATE = (
    "evidencenotes", "documentname", "documentpdf", "answer", "attachmentname", "attachmentpdf",
    "justificationa",  # the first evaluator's independent score justification (anna / carl, the leads)
    "justificationb",  # the second's (bo / dora): each hidden from the other until consensus
    "rationale",       # the consensus score's rationale
)
PREVISIT = ("answer", "attachmentname", "attachmentpdf")


def marker(tag: str, kind: str) -> str:
    return f"zq{tag}{kind}mark"


def visible_kinds(relation: str | None, status: str) -> set[str]:
    """The marker kinds of one evaluation a role may see in the workspace."""
    if relation == "admin":
        return set(PUBLISHABLE + PRIVATE)
    if relation in ("lead", "evaluator"):
        kinds = set(PUBLISHABLE + PRIVATE)
        if status not in CONSENSUS_ON:  # an independent score is one's own until consensus
            kinds.discard("justificationb" if relation == "lead" else "justificationa")
        return kinds
    if relation == "contact":
        return set(PREVISIT)  # never texts, evidence or scores
    return set()


# --- every workspace address, with the Need it requires --------------------------------


@dataclass(frozen=True)
class Address:
    method: str
    path: str  # after /arbete/<pk>/; {evidence} {attachment} {item} {code} are filled in
    need: Need
    statuses: tuple[str, ...] | None = None  # the address exists only in these statuses
    body: object = None  # POST: (subject) -> the data of a real attempt to change something

    def __str__(self):
        return f"{self.method} {self.path or '(overview)'}"


NEXT_STATUS = {"planned": "collecting", "collecting": "scoring", "scoring": "consensus", "consensus": "published", "published": "consensus"}


def _evidence_post(subject):
    return {"kind": "interview", "date": str(timezone.localdate() - datetime.timedelta(days=1)),
            "interviewee": INTRUSION, "notes": INTRUSION, "questions": [CODE]}


ADDRESSES = [
    Address("GET", "", N.VIEW),
    Address("GET", "underlag/", N.EVIDENCE),
    Address("GET", "underlag/{evidence}/fil", N.EVIDENCE),
    Address("GET", "poang/", N.SCORE),
    Address("GET", "konsensus/", N.CONSENSUS),
    Address("GET", "konsensus.csv", N.CONSENSUS, CONSENSUS_ON),
    Address("GET", "texter/", N.TEXTS),
    Address("GET", "forfragan/", N.PREVISIT_READ),
    Address("GET", "forfragan/bilaga/{attachment}/", N.PREVISIT_READ),
    Address("GET", "historik/", N.HISTORY),
    Address("GET", "sjalvvardering/", N.GAPS),  # before publication a message, the comparison after
    Address("GET", "rattelse/", N.MANAGE, ("published",)),
    Address("GET", "rapport.html", N.TEXTS),
    Address("GET", "rapportuppgifter/", N.REPORT_FACTS),
    Address("GET", "underlag/{evidence}/andra/", N.EVIDENCE, ("collecting", "scoring", "consensus")),  # editing closes at publication
    Address("GET", "forfragan/svar.docx", N.PREVISIT_READ),  # the municipality's own answers (svar.pdf is the same view)
    Address("GET", "poang/lamna-in/", N.SCORE),  # the hand-in's confirmation page
    Address("GET", "publicera/", N.MANAGE),  # publishing's confirmation page
    Address("GET", "plan/", N.MANAGE),
    Address("POST", "status/", N.MANAGE, body=lambda s: {"status": NEXT_STATUS[s.evaluation.status]}),
    Address("POST", "publicera/", N.MANAGE, body=lambda s: {"confirm": "1"}),
    Address("POST", "dela/", N.MANAGE, body=lambda s: {"shared": "0" if s.evaluation.shared_with_municipality else "1"}),
    Address("POST", "plan/", N.MANAGE, body=lambda s: {"answers_due": "2027-03-01", "scores_due": "2027-03-12"}),
    Address("POST", "ansvarig/", N.TEAM, body=lambda s: {"user": s.evaluation.assignments.order_by("-lead", "id").values_list("user_id", flat=True).last()}),
    Address("POST", "underlag/", N.EVIDENCE, body=_evidence_post),
    Address("POST", "underlag/{evidence}/ta-bort/", N.EVIDENCE, body=lambda s: {}),
    Address("POST", "underlag/{evidence}/andra/", N.EVIDENCE, ("collecting", "scoring", "consensus"), body=_evidence_post),
    Address("POST", "poang/{code}/", N.SCORE, body=lambda s: {"score": "1", "note": INTRUSION}),
    Address("POST", "poang/lamna-in/", N.SCORE, body=lambda s: {}),
    Address("POST", "konsensus/{code}/", N.CONSENSUS, body=lambda s: {"score": "1", "note": INTRUSION}),
    Address("POST", "konsensus/samstammiga/", N.CONSENSUS, body=lambda s: {}),
    Address("POST", "texter/omrade/1/general/", N.TEXTS, body=lambda s: {"text": INTRUSION}),
    Address("POST", "texter/lista/1/strength/", N.TEXTS, body=lambda s: {"items": INTRUSION}),
    Address("POST", "texter/delfraga/{code}/", N.TEXTS, body=lambda s: {"text": INTRUSION}),
    Address("POST", "texter/uppfoljning/{item}/", N.TEXTS, body=lambda s: {"done": "1"}),
    Address("POST", "rapportuppgifter/", N.REPORT_FACTS, body=lambda s: {"month": "3", "publisher": INTRUSION, "evaluator_rows": "1", "evaluator-1-name": INTRUSION}),
    Address("POST", "forfragan/{code}/", N.PREVISIT_ANSWER, body=lambda s: {"text": INTRUSION}),
    Address("POST", "forfragan/{code}/sjalvskattning/", N.PREVISIT_ANSWER, body=lambda s: {"score": "1", "comment": INTRUSION}),
    Address("POST", "forfragan/", N.PREVISIT_ANSWER, body=lambda s: {"question": CODE, "file": pdf_upload(f"{INTRUSION}.pdf", INTRUSION)}),
    Address("POST", "rattelse/", N.MANAGE, ("published",), body=lambda s: {"reason": INTRUSION, "a1-general": INTRUSION}),
]
POST_ONLY = [a for a in ADDRESSES if a.method == "POST" and not any(g.path == a.path for g in ADDRESSES if g.method == "GET")]


# --- building the two evaluations -------------------------------------------------------


def pdf_upload(name: str, content_marker: str) -> SimpleUploadedFile:
    """A tiny valid PDF (one blank page) whose bytes contain ``content_marker``."""
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.add_metadata({"/Title": content_marker})
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    assert content_marker.encode() in data
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@dataclass
class Subject:
    """One evaluation under test, with the ids its sub-addresses need."""

    tag: str
    evaluation: object
    evaluators: list
    contact: object
    evidence: int = 0     # the uploaded document
    attachment: int = 0   # the pre-visit answer's attachment
    item: int = 0         # a follow-up item
    planted: set = field(default_factory=set)  # marker kinds written so far

    def url(self, address: Address, pk: int | None = None) -> str:
        rest = address.path.format(evidence=self.evidence, attachment=self.attachment, item=self.item, code=CODE)
        return f"/arbete/{self.evaluation.pk if pk is None else pk}/{rest}"

    def marker(self, kind):
        return marker(self.tag, kind)


@dataclass
class World:
    team: object
    orebro: Subject
    stockholm: Subject
    published_2015: object
    upload_dir: Path

    @property
    def subjects(self):
        return [self.orebro, self.stockholm]

    def refresh(self):
        for s in self.subjects:
            s.evaluation.refresh_from_db()


def _score_all(subject, user, note):
    from kompass.catalogue.models import Question
    from kompass.workspace import services

    for question in Question.objects.filter(area__framework=subject.evaluation.framework):
        services.independent_score_set(
            evaluation=subject.evaluation, user=user, question_code=question.code,
            score=str(question.max_points / 2), justification=note if question.code == CODE else f"Motivering {question.code}",
        )


def _plant(subject: Subject, admin):
    """Marker content in every kind of working material, through the services."""
    from kompass.workspace import services

    e, m = subject.evaluation, subject.marker
    services.share_set(evaluation=e, shared=True, by=admin)
    services.previsit_answer_set(evaluation=e, by=subject.contact, question_code=CODE, text=f"Vi svarar: {m('answer')}.")
    subject.attachment = services.previsit_attachment_add(
        evaluation=e, by=subject.contact, question_code=CODE, upload=pdf_upload(f"{m('attachmentname')}.pdf", m("attachmentpdf"))
    ).pk
    services.area_text_set(evaluation=e, by=subject.evaluators[0], area_number=1, field="general", text=f"Allmänt {m('areatext')}.")
    services.question_text_set(evaluation=e, by=subject.evaluators[0], question_code=CODE, text=f"Bedömning {m('questiontext')}.")
    services.findings_list_set(evaluation=e, by=subject.evaluators[0], area_number=1, kind="strength", items=[f"Styrka {m('finding')}"])
    services.status_set(evaluation=e, status="collecting", by=admin)
    day = timezone.localdate() - datetime.timedelta(days=1)
    services.evidence_add(evaluation=e, by=subject.evaluators[0], kind="interview", date=day, interviewee="Kommunstyrelsens ordförande",
                          notes=f"Anteckning {m('evidencenotes')}.", question_codes=[CODE])
    subject.evidence = services.evidence_add(
        evaluation=e, by=subject.evaluators[0], kind="document", date=day, question_codes=[CODE],
        upload=pdf_upload(f"{m('documentname')}.pdf", m("documentpdf")),
    ).pk
    _score_all(subject, subject.evaluators[0], f"Motivering {m('justificationa')}.")
    _score_all(subject, subject.evaluators[1], f"Motivering {m('justificationb')}.")
    subject.planted |= set(PUBLISHABLE + PRIVATE) - {"rationale"}


def _advance(world: World, phase: str):
    """Bring both evaluations to ``phase`` through the services (Örebro alone is published)."""
    from kompass.workspace import services

    admin = world.team.admin
    for subject in world.subjects:
        e = subject.evaluation
        if phase == "scoring":
            services.status_set(evaluation=e, status="scoring", by=admin)
        elif phase == "consensus":
            for user in subject.evaluators:
                services.scoring_submit(evaluation=e, user=user)
            services.status_set(evaluation=e, status="consensus", by=admin)
            services.consensus_set(evaluation=e, by=admin, question_code=CODE, score="7.5", rationale=f"Enighet {subject.marker('rationale')}.")
            subject.planted.add("rationale")
    if phase == "published":
        e = world.orebro.evaluation
        services.consensus_accept_unanimous(evaluation=e, by=admin)
        for area in e.framework.definition.areas:
            if area.number != 1:
                services.area_text_set(evaluation=e, by=admin, area_number=area.number, field="general", text=f"Allmänt {area.number}.")
            services.area_text_set(evaluation=e, by=admin, area_number=area.number, field="changes", text=f"Sedan 2015, {area.number}.")
        from kompass.workspace import facts

        facts.report_facts_set(evaluation=e, by=admin, facts=facts.ReportFacts(month=10, evaluators=(("Anna Berg", ""),)))
        facts.summary_text_set(evaluation=e, by=admin, text="Sammanfattning.")
        services.status_set(evaluation=e, status="published", by=admin)
    world.refresh()


@pytest.fixture
def world(team, settings, tmp_path):
    from kompass.catalogue.models import Area
    from kompass.evaluations.models import Evaluation
    from kompass.municipalities.models import Municipality
    from kompass.workspace import services
    from kompass.workspace.models import FollowUpItem

    settings.KOMPASS_UPLOAD_DIR = tmp_path / "uploads"
    dora = services.user_add(username="dora", role="evaluator", password=PASSWORD, full_name="Dora Dal")
    stockholm = services.evaluation_new(
        municipality=Municipality.objects.get(country="SE", code="0180"), framework=team.evaluation.framework,
        year=2026, evaluators=[team.carl, dora], by=team.admin,
    )
    # Stockholm has no earlier evaluation to follow up; give it one item so the address exists.
    FollowUpItem.objects.create(evaluation=stockholm, area=Area.objects.get(framework=stockholm.framework, number=1), text="Diariet")
    orebro = Subject("orebro", team.evaluation, [team.anna, team.bo], team.contact)
    orebro.item = FollowUpItem.objects.filter(evaluation=team.evaluation).first().pk
    other = Subject("stockholm", stockholm, [team.carl, dora], team.stranger)
    other.item = FollowUpItem.objects.get(evaluation=stockholm).pk
    w = World(team, orebro, other, Evaluation.objects.get(municipality__code="1880", year=2015), tmp_path / "uploads")
    for subject in w.subjects:
        _plant(subject, team.admin)
    w.refresh()
    return w


# --- the database before and after a refused POST ------------------------------------


def snapshot() -> dict:
    from django.contrib.auth import get_user_model

    from kompass.evaluations.models import (
        AreaAssessment,
        Evaluation,
        Evaluator,
        Finding,
        QuestionAssessment,
    )
    from kompass.workspace.models import (
        Assignment,
        AuditEntry,
        Evidence,
        FollowUpItem,
        IndependentScore,
        PrevisitAnswer,
        PrevisitAttachment,
        Revision,
    )

    models = [AuditEntry, Evidence, Evidence.questions.through, IndependentScore, PrevisitAnswer, PrevisitAttachment,
              QuestionAssessment, AreaAssessment, Finding, FollowUpItem, Assignment, Evaluation, Evaluator, Revision,
              get_user_model()]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def snapshot_diff(before: dict, after: dict) -> str:
    changed = []
    for name, rows in before.items():
        if rows != after[name]:
            changed.append(f"{name} ({len(rows)} → {len(after[name])} rows)")
    return ", ".join(changed)


# --- the check ------------------------------------------------------------------------


def login_url(path: str) -> str:
    return "/accounts/login/?next=" + quote(path, safe="/")


class Check:
    """Runs requests as one role and collects every mismatch."""

    def __init__(self, world: World, role: str, client: Client):
        self.world, self.role, self.client = world, role, client
        self.mismatches: list[str] = []
        self.checks = 0
        self.phase = ""
        self.seen: set[str] = set()
        self.not_found_body: bytes | None = None  # the 404 of an evaluation that does not exist
        self.baseline: dict = {}  # the database as it should stay; taken at each phase

    # requests

    def fetch(self, method: str, path: str, data=None, *, rollback=False):
        """(status, body, headers as text) or None after recording the exception."""
        try:
            if rollback:
                with transaction.atomic():
                    response = self._send(method, path, data)
                    transaction.set_rollback(True)
            else:
                response = self._send(method, path, data)
        except Exception:  # noqa: BLE001 (recorded with its traceback, the check goes on)
            self.fail(f"{method} {path}", "an exception:\n" + traceback.format_exc())
            return None
        # Reading a streamed file to its end closes it; calling response.close() here would
        # also fire request_finished, which closes the database connection on PostgreSQL.
        body = without_tokens(b"".join(response.streaming_content) if response.streaming else response.content)
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        return response.status_code, body, headers

    def _send(self, method, path, data):
        return self.client.get(path) if method == "GET" else self.client.post(path, data or {})

    def fail(self, what: str, problem: str):
        self.mismatches.append(f"[{self.role} · {self.phase}] {what}: {problem}")

    def expect(self, ok: bool, what: str, problem: str):
        self.checks += 1
        if not ok:
            self.fail(what, problem)

    # what the role may see

    def relation(self, subject: Subject):
        return RELATIONS[self.role][subject.tag]

    def forbidden_markers(self, *, public: bool = False, staff: bool = False) -> set[str]:
        forbidden = set()
        for subject in self.world.subjects:
            status = subject.evaluation.status
            if public:
                allowed = set(PUBLISHABLE) if status == "published" or staff else set()
            else:
                allowed = visible_kinds(self.relation(subject), status)
            forbidden |= {subject.marker(k) for k in subject.planted if k not in allowed}
        return forbidden | {INTRUSION}

    def no_leaks(self, what: str, body: bytes, headers: str, *, public=False, staff=False, echo=False):
        """No marker the role may not see; ``echo``: the answer to the role's own POST may
        show what they typed (a refused form keeps it)."""
        forbidden = self.forbidden_markers(public=public, staff=staff) - ({INTRUSION} if echo else set())
        leaked = sorted(m for m in forbidden if m.encode() in body or m in headers)
        self.expect(not leaked, what, f"leaks {', '.join(leaked)}")
        hidden = [s for s in self.world.subjects if public and not staff and s.evaluation.status != "published"]
        hidden += [s for s in self.world.subjects if not public and self.relation(s) in ("none", None)]
        for subject in hidden:
            link = f"/arbete/{subject.evaluation.pk}/" if not public else f"/utvardering/{subject.evaluation.pk}/"
            self.expect(link.encode() not in body, what, f"links to {link} ({subject.tag}), which this role may not see")

    def note_seen(self, body: bytes, headers: str):
        for subject in self.world.subjects:
            for kind in subject.planted:
                if subject.marker(kind).encode() in body or subject.marker(kind) in headers:
                    self.seen.add(subject.marker(kind))

    def unchanged(self, what: str, files_before: set[str]):
        after = snapshot()
        diff = snapshot_diff(self.baseline, after)
        self.expect(not diff, what, f"changed the database: {diff}")
        self.expect(self.files() == files_before, what, "stored or removed a file")
        self.baseline = after

    def files(self) -> set[str]:
        d = self.world.upload_dir
        return {p.name for p in d.iterdir()} if d.exists() else set()

    def is_not_found(self, what: str, result, path: str):
        status, body, headers = result
        self.expect(status == 404, what, f"expected 404, got {status}")
        if status == 404:
            normalised = body.replace(path.encode(), b"<path>")
            self.expect(normalised == self.not_found_body, what, "the 404 differs from the 404 of an evaluation that does not exist")
            leaked = sorted(m for m in self.all_markers() | {INTRUSION} if m.encode() in body or m in headers)
            self.expect(not leaked, what, f"the 404 leaks {leaked}")

    def all_markers(self) -> set[str]:
        return {s.marker(k) for s in self.world.subjects for k in s.planted}

    # the addresses

    def anonymous(self, method: str, path: str, data=None):
        files = self.files()
        result = self.fetch(method, path, data)
        if result is None:
            return
        status, body, headers = result
        self.expect(status == 302 and f"Location: {login_url(path)}" in headers, f"{method} {path}",
                    f"expected 302 to {login_url(path)}, got {status} {headers.splitlines()[:2]}")
        self.expect(not any(m.encode() in body for m in self.all_markers()), f"{method} {path}", "the redirect leaks a marker")
        if method == "POST":
            self.unchanged(f"{method} {path}", files)

    def address(self, subject: Subject, address: Address):
        path = subject.url(address)
        relation = self.relation(subject)
        what = f"{address} on {subject.tag} ({relation}, {subject.evaluation.status}) {path}"
        data = address.body(subject) if address.body else None
        if relation is None:
            return self.anonymous(address.method, path, data)
        allowed = address.need in NEEDS[relation] and (address.statuses is None or subject.evaluation.status in address.statuses)
        if address.method == "GET":
            result = self.fetch("GET", path)
            if result is None:
                return
            if allowed:
                status, body, headers = result
                self.expect(status == 200, what, f"expected 200, got {status}")
                self.no_leaks(what, body, headers)
                self.note_seen(body, headers)
            else:
                self.is_not_found(what, result, path)
        elif allowed:
            # Allowed POSTs are another test's subject; here only: not refused as unknown.
            result = self.fetch("POST", path, data, rollback=True)
            if result is None:
                return
            status, body, headers = result
            self.expect(status not in (404, 405) and status < 500 and "/accounts/login/" not in headers, what,
                        f"expected the POST to be accepted or refused with a reason (not 404), got {status}")
            self.no_leaks(what, body, headers, echo=True)
            self.expect(not snapshot_diff(self.baseline, snapshot()), what, "(test) the rolled-back POST left changes")
        else:
            files = self.files()
            result = self.fetch("POST", path, data)
            if result is not None:
                self.is_not_found(what, result, path)
            self.unchanged(what, files)

    def public_pages(self):
        """The public site, as this role sees it."""
        staff = False  # the public pages show published evaluations only, to everyone
        w = self.world
        pages = [("/", 200), ("/kommun/SE/1880/", 200), ("/kommun/SE/0180/", 200), (f"/utvardering/{w.published_2015.pk}/", 200)]
        if self.phase in ("consensus", "published"):  # every marker is written by then; a report takes a while
            pages.append((f"/utvardering/{w.published_2015.pk}/rapport.html", 200))
        for subject in w.subjects:
            pk, published = subject.evaluation.pk, subject.evaluation.status == "published"
            pages += [
                (f"/utvardering/{pk}/", 200 if published or staff else 404),
                (f"/utvardering/{pk}/rapport.html", 200 if published or staff else 404),
                (f"/utvardering/{pk}/revision/1/", 200 if published else 404),  # never a draft, not even for staff
            ]
        for path, expected in pages:
            result = self.fetch("GET", path)
            if result is None:
                continue
            status, body, headers = result
            self.expect(status == expected, f"public GET {path}", f"expected {expected}, got {status}")
            self.no_leaks(f"public GET {path}", body, headers, public=True, staff=staff)

    def dashboard(self):
        if self.role == "anonymous":
            self.anonymous("GET", "/arbete/")
            self.anonymous("POST", "/arbete/ny/", {"municipality": "0180", "framework": "2010", "year": "2027"})
            return
        result = self.fetch("GET", "/arbete/")
        if result is not None:
            status, body, headers = result
            self.expect(status == 200, "GET /arbete/", f"expected 200, got {status}")
            self.no_leaks("GET /arbete/", body, headers)
            for subject in self.world.subjects:
                if self.relation(subject) != "none":
                    link = f"/arbete/{subject.evaluation.pk}/"
                    self.expect(link.encode() in body, "GET /arbete/", f"does not list {subject.tag} ({link})")
        data = {"municipality": "0180", "framework": "2010", "year": "2027", "evaluators": [str(self.world.team.carl.pk)]}
        what = "POST /arbete/ny/"
        if self.role == "admin":
            result = self.fetch("POST", "/arbete/ny/", data, rollback=True)
            self.expect(result is not None and result[0] not in (404, 405) and result[0] < 500, what, f"expected not 404, got {result and result[0]}")
        else:
            files = self.files()
            result = self.fetch("POST", "/arbete/ny/", data)
            if result is not None:
                self.is_not_found(what, result, "/arbete/ny/")
            self.unchanged(what, files)

    def missing_evaluation(self):
        """An evaluation that does not exist: the same answers as one the role may not see."""
        from kompass.evaluations.models import Evaluation

        missing = Evaluation.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
        subject = self.world.orebro
        for address in ADDRESSES:
            path = subject.url(address, missing)
            data = address.body(subject) if address.body else None
            if self.role == "anonymous":
                self.anonymous(address.method, path, data)
                continue
            files = self.files()
            result = self.fetch(address.method, path, data)
            if result is not None:
                self.is_not_found(f"{address} on a missing evaluation {path}", result, path)
            if address.method == "POST":
                self.unchanged(f"{address} on a missing evaluation", files)

    def get_on_post_only(self):
        """GET on a POST-only address: 405 for anyone logged in, evaluation or not."""
        from kompass.evaluations.models import Evaluation

        missing = Evaluation.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
        for address in POST_ONLY:
            for subject in self.world.subjects:
                for pk in (subject.evaluation.pk, missing):
                    path = subject.url(address, pk)
                    if self.role == "anonymous":
                        self.anonymous("GET", path)
                        continue
                    result = self.fetch("GET", path)
                    if result is not None:
                        self.expect(result[0] == 405, f"GET {path}", f"expected 405, got {result[0]}")
                        self.expect(not any(m.encode() in result[1] for m in self.all_markers()), f"GET {path}", "leaks a marker")

    def crossed_ids(self):
        """One evaluation's address with another's evidence, attachment or follow-up item."""
        if self.role == "anonymous":
            return
        for own, other in ((self.world.orebro, self.world.stockholm), (self.world.stockholm, self.world.orebro)):
            pk = own.evaluation.pk
            for path in (f"/arbete/{pk}/underlag/{other.evidence}/fil", f"/arbete/{pk}/forfragan/bilaga/{other.attachment}/"):
                result = self.fetch("GET", path)
                if result is not None:
                    self.is_not_found(f"GET {path} (crossed id)", result, path)
            for path, data in ((f"/arbete/{pk}/underlag/{other.evidence}/ta-bort/", {}), (f"/arbete/{pk}/texter/uppfoljning/{other.item}/", {"done": "1"})):
                files = self.files()
                result = self.fetch("POST", path, data)
                if result is not None:
                    expected = (400, 404) if self.relation(own) in ("admin", "lead", "evaluator") else (404,)
                    self.expect(result[0] in expected, f"POST {path} (crossed id)", f"expected {expected}, got {result[0]}")
                self.unchanged(f"POST {path} (crossed id)", files)

    def sanity(self):
        """Every marker the role may see did appear: the absence checks are not vacuous."""
        for subject in self.world.subjects:
            relation = self.relation(subject)
            if relation in ("none", None):
                continue
            expected = {subject.marker(k) for k in visible_kinds(relation, subject.evaluation.status) if k in subject.planted}
            missing = sorted(expected - self.seen)
            self.expect(not missing, f"{subject.tag} ({relation})", f"(test) never shown what the role may see: {missing}")

    def run_phase(self, phase: str):
        self.phase = phase
        self.world.refresh()
        self.seen = set()
        self.baseline = snapshot()
        if self.not_found_body is None and self.role != "anonymous":
            path = "/arbete/999999999/"
            result = self.fetch("GET", path)
            assert result is not None and result[0] == 404
            self.not_found_body = result[1].replace(path.encode(), b"<path>")
        if phase == PHASES[0]:
            self.missing_evaluation()
            self.get_on_post_only()
            self.crossed_ids()
        self.dashboard()
        for subject in self.world.subjects:
            for address in ADDRESSES:
                self.address(subject, address)
                self.world.refresh()
        self.public_pages()
        self.sanity()
        diff = snapshot_diff(self.baseline, snapshot())
        self.expect(not diff, "the whole phase", f"the database changed: {diff}")


def _client(world: World, role: str) -> Client:
    team = world.team
    user = {"admin": team.admin, "anna": team.anna, "bo": team.bo, "carl": team.carl, "contact-shared": team.contact,
            "contact-unshared": team.contact, "stranger": team.stranger}.get(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_workspace_address_for_every_role(world, role):
    from kompass.workspace import services

    if role == "contact-unshared":
        services.share_set(evaluation=world.orebro.evaluation, shared=False, by=world.team.admin)
        world.refresh()
    check = Check(world, role, _client(world, role))
    for phase in PHASES:
        if phase != PHASES[0]:
            _advance(world, phase)
        check.run_phase(phase)
    print(f"\n{role}: {check.checks} checks")
    assert not check.mismatches, f"{len(check.mismatches)} of {check.checks} checks failed:\n" + "\n".join(check.mismatches)


# --- the table covers the workspace --------------------------------------------------


def test_the_table_covers_every_workspace_address():
    """Adding an address to workspace/urls.py without adding it here fails this test."""
    from kompass.workspace import urls

    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    covered = {"dashboard", "create"}
    for address in ADDRESSES:
        path = "/arbete/1/" + address.path.format(evidence=2, attachment=3, item=4, code=CODE)
        covered.add(resolve(path).url_name)
    assert names - covered == set()


def test_public_revision_page_of_an_unpublished_evaluation_is_404_even_with_a_revision(team):
    """The public revision page shows published evaluations only, whatever revisions exist."""
    from kompass.workspace.models import Revision

    evaluation = team.evaluation
    Revision.objects.create(evaluation=evaluation, number=1, reason="Försök", document={"text": marker("revision", "draft")})
    path = f"/utvardering/{evaluation.pk}/revision/1/"
    for user in (None, team.anna, team.contact, team.admin):
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 404, (user, response.status_code)
        assert marker("revision", "draft").encode() not in response.content


# --- action plans: /arbete/handlingsplan/<country>/<code>/… --------------------------------
#
# A plan belongs to a municipality, not to an evaluation: the administrator and that
# municipality's contact edit it; evaluators and other municipalities' contacts get 404
# for every address (the same 404 as for a municipality that does not exist); anonymous
# visitors are sent to the login page. An action or improvement area of another plan,
# posted through this plan's address, is 404 for everyone, administrators included.

PLAN_EDITORS = {"anonymous": None, "admin": {"1880", "0180"}, "anna": set(), "carl": set(), "contact": {"1880"}, "stranger": {"0180"}}
PLAN_MARK = "zqplanmark"


@dataclass(frozen=True)
class PlanAddress:
    method: str
    path: str  # after /arbete/handlingsplan/SE/<code>/; {action} {improvement} are Örebro's
    body: dict | None = None
    own_ids: bool = False  # uses the ids of Örebro's plan: through Stockholm's address, 404

    def __str__(self):
        return f"{self.method} {self.path or '(editor)'}"


PLAN_ADDRESSES = [
    PlanAddress("GET", ""),
    PlanAddress("GET", "plan.xlsx"),
    PlanAddress("GET", "plan.csv"),
    PlanAddress("GET", "plan.pdf"),
    PlanAddress("GET", "atgard/{action}/ta-bort/", own_ids=True),
    PlanAddress("POST", "publicera/", {"public": "1"}),
    PlanAddress("POST", "forbattringsomrade/{improvement}/ny/", {"title": INTRUSION}, own_ids=True),
    PlanAddress("POST", "atgard/{action}/", {"title": INTRUSION}, own_ids=True),
    PlanAddress("POST", "atgard/{action}/status/", {"status": "done", "note": INTRUSION}, own_ids=True),
    PlanAddress("POST", "atgard/{action}/anteckning/", {"text": INTRUSION}, own_ids=True),
    PlanAddress("POST", "atgard/{action}/ta-bort/", {"confirm": "yes"}, own_ids=True),
]


def plan_snapshot() -> dict:
    from kompass.actions.models import Action, ActionNote, ActionPlan
    from kompass.evaluations.models import DataVersion

    return snapshot() | {m.__name__: list(m.objects.order_by("pk").values()) for m in (Action, ActionNote, ActionPlan, DataVersion)}


@pytest.fixture
def plan_world(team):
    """Örebro's plan (on its published 2015 evaluation) with one action carrying the marker."""
    from kompass.actions import services
    from kompass.actions.selectors import plan_get
    from kompass.municipalities.models import Municipality

    improvement = plan_get(Municipality.objects.get(country="SE", code="1880")).improvements[0]
    action = services.action_add(improvement_id=improvement.pk, title=f"Åtgärd {PLAN_MARK}", owner="Kansliet")
    services.action_note_add(action_id=action.pk, text=f"Anteckning {PLAN_MARK}")
    return {"team": team, "action": action.pk, "improvement": improvement.pk}


@pytest.mark.parametrize("role", list(PLAN_EDITORS))
def test_every_plan_address_for_every_role(plan_world, role):
    team = plan_world["team"]
    user = {"admin": team.admin, "anna": team.anna, "carl": team.carl, "contact": team.contact, "stranger": team.stranger}.get(role)
    c = Client()
    if user is not None:
        c.force_login(user)
    problems, checks = [], 0

    def expect(ok, what, problem):
        nonlocal checks
        checks += 1
        if not ok:
            problems.append(f"[{role}] {what}: {problem}")

    def send(method, path, data=None, rollback=False):
        if rollback:
            with transaction.atomic():
                response = c.get(path) if method == "GET" else c.post(path, data or {})
                transaction.set_rollback(True)
        else:
            response = c.get(path) if method == "GET" else c.post(path, data or {})
        return response.status_code, without_tokens(response.content), "\n".join(f"{k}: {v}" for k, v in response.items())

    missing_path = "/arbete/handlingsplan/SE/9999/"
    not_found = send("GET", missing_path)[1].replace(missing_path.encode(), b"<path>") if user else None
    for code in ("1880", "0180"):
        base = f"/arbete/handlingsplan/SE/{code}/"
        editor = user is not None and code in PLAN_EDITORS[role]
        for address in PLAN_ADDRESSES:
            path = base + address.path.format(action=plan_world["action"], improvement=plan_world["improvement"])
            what = f"{address} on {code} {path}"
            allowed = editor and not (address.own_ids and code != "1880")
            before = plan_snapshot()
            if user is None:
                status, body, headers = send(address.method, path, address.body)
                expect(status == 302 and f"Location: {login_url(path)}" in headers, what, f"expected the login page, got {status}")
                expect(PLAN_MARK.encode() not in body, what, "the redirect leaks the plan")
            elif allowed and address.method == "GET":
                status, body, headers = send("GET", path)
                expect(status == 200, what, f"expected 200, got {status}")
            elif allowed:
                status, body, headers = send("POST", path, address.body, rollback=True)
                expect(status in (200, 302, 400), what, f"expected the POST to be done or refused with a reason, got {status}")
            else:
                status, body, headers = send(address.method, path, address.body)
                expect(status == 404, what, f"expected 404, got {status}")
                expect(body.replace(path.encode(), b"<path>") == not_found, what, "the 404 differs from a missing municipality's")
                expect(PLAN_MARK.encode() not in body and INTRUSION.encode() not in body, what, "the 404 leaks")
            expect(plan_snapshot() == before, what, "changed the database")
    # The dashboard names the plan only to those who edit it.
    if user is not None:
        body = send("GET", "/arbete/")[1]
        for code in ("1880", "0180"):
            link = f"/arbete/handlingsplan/SE/{code}/".encode()
            expect((link in body) == (role in ("contact", "stranger") and code in PLAN_EDITORS[role]), f"GET /arbete/ ({code})", "the link to the plan")
        expect(PLAN_MARK.encode() not in body, "GET /arbete/", "leaks the plan")
        index = send("GET", "/arbete/handlingsplan/")
        expected = {"admin": 200, "contact": 302, "stranger": 302}.get(role, 404)
        expect(index[0] == expected, "GET /arbete/handlingsplan/", f"expected {expected}, got {index[0]}")
    else:
        status, _body, headers = send("GET", "/arbete/handlingsplan/")
        expect(status == 302 and f"Location: {login_url('/arbete/handlingsplan/')}" in headers, "GET /arbete/handlingsplan/", "expected the login page")
    # Unpublished, the public plan is 404 for everyone.
    for path in ("/kommun/SE/1880/handlingsplan/", "/kommun/SE/1880/handlingsplan.csv"):
        status, body, _headers = send("GET", path)
        expect(status == 404 and PLAN_MARK.encode() not in body, f"public GET {path}", f"expected 404, got {status}")
    print(f"\n{role}: {checks} checks")
    assert not problems, f"{len(problems)} of {checks} checks failed:\n" + "\n".join(problems)


def test_the_plan_table_covers_every_plan_address():
    """Adding a workspace address to actions/urls.py without adding it here fails this test."""
    from kompass.actions import urls

    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and str(p.pattern).startswith("arbete/")}
    covered = {"index"}
    for address in PLAN_ADDRESSES:
        covered.add(resolve("/arbete/handlingsplan/SE/1880/" + address.path.format(action=2, improvement=3)).url_name)
    assert names - covered == set()
