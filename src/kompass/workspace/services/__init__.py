"""Writes in the workspace. Views and the command line come through here, one module per
part of an evaluation's life:

- ``accounts``: accounts, new evaluations, evaluators, sharing with the municipality;
- ``status``: the lifecycle, publishing, corrections (revisions and search index);
- ``evidence``: the register of evidence and its files;
- ``previsit``: the municipality's answers, attachments and self-assessment;
- ``scores``: independent scores and consensus;
- ``texts``: the report's texts, lists and follow-up.
- ``schedule``: the plan (the visit as planned) and the deadlines.

Every write is one transaction that locks the evaluation, records old and new value in
the audit trail, and refuses with ``ValidationError`` anything invalid or not allowed
in the current status, or with ``Conflict`` a save based on a value someone else has
changed since the form was shown (the rules are in ``workspace.guards``). Writes to the
evaluation itself, its scores and texts go on through ``kompass.evaluations.services``.

The names below are the package's interface: the services, and what their callers
need with them (the ``Conflict`` they raise, the ``fingerprint`` a form carries, the
statuses and limits they keep).
"""

from kompass.workspace.guards import LIFECYCLE, MAX_TEXT, UNPUBLISHED, Conflict, fingerprint
from kompass.workspace.services.accounts import evaluation_new, evaluator_assign, framework_inactive_problem, lead_set, share_set, user_add
from kompass.workspace.services.evidence import evidence_add, evidence_remove, evidence_state, evidence_update
from kompass.workspace.services.previsit import PREVISIT_OPEN, previsit_answer_set, previsit_attachment_add, previsit_done_set, self_assessment_set
from kompass.workspace.services.scores import consensus_accept_unanimous, consensus_set, independent_score_set, scoring_submit
from kompass.workspace.services.status import consensus_problems, correction_apply, handin_problems, publish, publish_problems, status_set
from kompass.workspace.services.schedule import schedule_set
from kompass.workspace.services.texts import area_text_set, findings_list_set, follow_up_set, question_text_set

__all__ = [
    "LIFECYCLE", "MAX_TEXT", "PREVISIT_OPEN", "UNPUBLISHED", "Conflict", "fingerprint",
    "area_text_set", "consensus_accept_unanimous", "consensus_problems", "consensus_set", "correction_apply",
    "evaluation_new", "evaluator_assign", "lead_set", "evidence_add", "evidence_remove", "evidence_state", "evidence_update", "findings_list_set", "follow_up_set",
    "framework_inactive_problem", "handin_problems", "independent_score_set", "previsit_answer_set", "previsit_attachment_add", "previsit_done_set", "publish",
    "publish_problems", "question_text_set", "schedule_set", "scoring_submit", "self_assessment_set", "share_set", "status_set", "user_add",
]
