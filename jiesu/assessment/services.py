"""Assessment actions: compute a month (R31.1), certify, credit (R31.2), appeal and decide (R34.1).

Each action that concerns an order appends an OrderEvent through jiesu.orders.services in the
same transaction, so the order's timeline shows why it stopped (or started) counting.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from jiesu.core import db_router, roles
from jiesu.directory.models import Unit
from jiesu.engine import units as unit_kinds
from jiesu.orders import services as order_services
from jiesu.orders import uploads
from jiesu.orders.models import WorkOrder

from . import core, extract
from .models import Appeal, AssessmentRun, Certification, Credit, Deduction, RuleSet, StaffRecognition, UnitScore

GROUP_OF_KIND = {
    unit_kinds.DISTRICT_GOV: "district",
    unit_kinds.SUBDISTRICT_OFFICE: "township",
    unit_kinds.CITY_DEPARTMENT: "department",
    unit_kinds.DISTRICT_DEPARTMENT: "department",
    unit_kinds.ENTERPRISE: "enterprise",
}


def parse_month(text: str) -> date:
    try:
        year, month = (int(x) for x in str(text).split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a month past a C long ("2026-99…9")
        raise ValidationError({"month": [f"考核月份格式应为YYYY-MM，例如2026-11：{text!r}"]}) from None


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _centre(actor) -> None:
    if not roles.is_decider(actor):
        raise PermissionDenied("只有督办员或政务服务局管理员可以进行此操作。")


def ruleset_for(month: date) -> RuleSet:
    rs = RuleSet.objects.filter(effective_from__lte=month).order_by("-effective_from").first()
    if rs is None:
        raise ValidationError({"month": [f"{month:%Y-%m}没有生效的考核规则，请在管理后台添加考核规则版本。"]})
    return rs


# Computing a month ---------------------------------------------------------------------------


def run_assessment(month: date, *, actor=None, ruleset: RuleSet | None = None) -> AssessmentRun:
    """Compute every unit's rates and score for the month and store them with the rules version.

    Reproducible: the same data and rules give the same digest (see core). A new run of a
    month becomes its current result; earlier runs stay as history.
    """
    started = time.monotonic()
    month = month.replace(day=1)
    ruleset = ruleset or ruleset_for(month)
    rules = ruleset.to_rules()
    credits = [(u, int(p * 100)) for u, p in Credit.objects.filter(month=month).values_list("unit_id", "points")]
    # The month's lines from the read replica when there is one (db_router); a server-side
    # cursor lives inside a transaction, on the connection that runs it.
    with db_router.replica_reads() as alias, transaction.atomic(using=alias):
        result = core.compute(extract.lines_for_month(month, using=alias), rules, credits=credits)
    units = dict(Unit.objects.filter(pk__in=list(result.units)).values_list("pk", "kind"))
    codes = dict(Unit.objects.filter(pk__in=list(result.units)).values_list("pk", "code"))
    groups = {u: GROUP_OF_KIND.get(kind, "other") for u, kind in units.items()}
    prev_run = AssessmentRun.objects.filter(month=previous_month(month), current=True).first()
    prev_scores, prev_ranks = {}, {}
    if prev_run:
        for unit_id, score, rank in prev_run.scores.values_list("unit_id", "score", "rank"):
            prev_scores[unit_id] = None if score is None else int(score * 100)
            if rank is not None:
                prev_ranks[unit_id] = rank
    ranked = core.rank(
        {u: r.score for u, r in result.units.items()},
        groups,
        rules,
        previous=prev_scores,
        previous_ranks=prev_ranks,
        tiebreak=codes,
    )
    recognised = core.recognition(ranked)
    best = {u for g in recognised.values() for u in g["best"]}
    improved = {u for g in recognised.values() for u in g["improved"]}

    def cents(v: int | None) -> Decimal | None:
        return None if v is None else Decimal(v) / 100

    with transaction.atomic():
        AssessmentRun.objects.select_for_update().filter(month=month, current=True).update(current=False)
        run = AssessmentRun.objects.create(
            month=month,
            ruleset=ruleset,
            rules_version=rules.version,
            rules_snapshot=rules.snapshot(),
            digest=result.digest,
            lines=result.lines_seen,
            units=len(result.units),
            computed_at=timezone.now(),
            by=actor if getattr(actor, "pk", None) else None,
            current=True,
        )
        rows = []
        for unit_id, r in result.units.items():
            if unit_id not in units:
                continue  # a unit row deleted since: nothing to attach the score to
            stored = r.rounded()
            rk = ranked.get(unit_id)
            rows.append(
                UnitScore(
                    run=run,
                    unit_id=unit_id,
                    group=groups[unit_id],
                    lines=r.lines,
                    excluded=r.excluded,
                    response_rate=stored["response_rate"],
                    resolution_rate=stored["resolution_rate"],
                    satisfaction_rate=stored["satisfaction_rate"],
                    base=cents(r.base),
                    credits=cents(r.credits),
                    penalties=cents(r.penalties),
                    score=cents(r.score),
                    rank=rk.rank if rk else None,
                    klass=rk.klass if rk else "",
                    previous_score=cents(prev_scores.get(unit_id)),
                    delta=cents(rk.delta) if rk else None,
                    previous_rank=prev_ranks.get(unit_id),
                    flags=stored["flags"],
                    best=unit_id in best,
                    most_improved=unit_id in improved,
                )
            )
        UnitScore.objects.bulk_create(rows, batch_size=2000)
        _store_deductions(run, result.deductions)
        run.seconds = round(time.monotonic() - started, 3)
        run.save(update_fields=["seconds"])
    return run


def _store_deductions(run: AssessmentRun, deductions: list[core.Deduction]) -> None:
    if connection.vendor == "postgresql":
        # COPY: a month can have hundreds of thousands of deductions; INSERTs would dominate the run.
        table = Deduction._meta.db_table
        connection.ensure_connection()
        with (
            connection.connection.cursor() as raw,
            raw.copy(f"COPY {table} (run_id, unit_id, order_id, codes, loss) FROM STDIN") as copy,
        ):
            for d in deductions:
                copy.write_row((run.pk, d.unit_id, d.order_id, d.codes, d.loss))
        return
    Deduction.objects.bulk_create(
        (Deduction(run=run, unit_id=d.unit_id, order_id=d.order_id, codes=d.codes, loss=d.loss) for d in deductions),
        batch_size=2000,
    )


# Exclusions and credits (R31.2) ------------------------------------------------------------


@transaction.atomic
def certify_unreasonable(order: WorkOrder, *, actor, reason: str) -> Certification:
    """The centre certifies a request unreasonable: it leaves every unit's rates from the next run."""
    _centre(actor)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": ["请填写认定理由（至少5个字）。"]})
    if Certification.objects.filter(order=order).exists():
        raise ValidationError({"reason": [f"工单{order.number}已认定为不合理诉求。"]})
    cert = Certification.objects.create(order=order, reason=reason, by=actor, at=timezone.now())
    order_services.record_event(
        order, action="certified_unreasonable", actor=actor, data={"certification_id": cert.pk, "reason": reason}
    )
    return cert


@transaction.atomic
def grant_credit(
    unit: Unit, *, actor, month: date, kind: str, points, note: str, order: WorkOrder | None = None
) -> Credit:
    """Points for proactive governance or a hard case, capped per month by the rules."""
    _centre(actor)
    if kind not in dict(Credit.KINDS):
        raise ValidationError({"kind": ["请选择加分类型：主动治理或疑难案件。"]})
    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError({"note": ["请填写加分事由（至少5个字）。"]})
    credit = Credit(
        unit=unit, month=month.replace(day=1), kind=kind, points=Decimal(str(points)), note=note, order=order, by=actor
    )
    credit.full_clean()
    credit.save()
    return credit


# Appeals (R34.1) ---------------------------------------------------------------------------


def current_run(month: date) -> AssessmentRun | None:
    return AssessmentRun.objects.filter(month=month.replace(day=1), current=True).first()


@transaction.atomic
def file_appeal(order: WorkOrder, *, actor, month: date, reason: str, evidence=None) -> Appeal:
    """A unit contests the deduction an order cost it in a month, with evidence."""
    if getattr(actor, "role", None) not in roles.UNIT_ROLES or not getattr(actor, "unit_id", None):
        raise PermissionDenied("只有承办单位可以提出考核申诉。")
    month = month.replace(day=1)
    run = current_run(month)
    if run is None or not Deduction.objects.filter(run=run, unit_id=actor.unit_id, order=order).exists():
        raise ValidationError({"order": [f"工单{order.number}在{month:%Y年%m月}的考核中没有扣减本单位得分。"]})
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": ["请写明申诉理由（至少10个字），并附证明材料。"]})
    if Appeal.objects.filter(order=order, unit_id=actor.unit_id, month=month).exists():
        raise ValidationError({"order": ["本单位已就该工单提出过申诉。"]})
    appeal = Appeal(
        order=order, unit_id=actor.unit_id, month=month, reason=reason, filed_by=actor, filed_at=timezone.now()
    )
    if evidence:
        # The centre opens evidence in a browser: the same checks as an order's attachments.
        try:
            safe = uploads.safe_upload(evidence)
        except uploads.UploadRefused as exc:
            raise ValidationError({"evidence": [str(exc)]}) from None
        appeal.evidence.save(safe.name, safe.file, save=False)
    appeal.save()
    order_services.record_event(
        order,
        action="assessment_appealed",
        actor=actor,
        data={"appeal_id": appeal.pk, "month": f"{month:%Y-%m}", "reason": reason, "evidence": bool(evidence)},
    )
    return appeal


@transaction.atomic
def decide_appeal(appeal: Appeal, *, actor, uphold: bool, note: str) -> Appeal:
    """The centre decides; an upheld appeal removes the order from the unit's lines at the next run
    of that month (`jiesu assess --month`, or the recompute button)."""
    _centre(actor)
    appeal = Appeal.objects.select_for_update().select_related("order").get(pk=appeal.pk)
    if appeal.status != Appeal.PENDING:
        raise ValidationError({"status": ["该申诉已审核。"]})
    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError({"note": ["请填写审核意见（至少5个字）。"]})
    appeal.status = Appeal.UPHELD if uphold else Appeal.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision_note = actor, timezone.now(), note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    order_services.record_event(
        appeal.order,
        action="appeal_decided",
        actor=actor,
        data={
            "appeal_id": appeal.pk,
            "unit_id": appeal.unit_id,
            "month": f"{appeal.month:%Y-%m}",
            "upheld": uphold,
            "note": note,
        },
    )
    return appeal


def next_version(ruleset: RuleSet) -> RuleSet:
    """Copy a rules version to start the month after the latest one: the way to change used rules."""
    latest = RuleSet.objects.order_by("-effective_from").first()
    start = latest.effective_from
    start = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    with transaction.atomic():
        scopes = list(ruleset.scope_rules.all())
        ruleset.pk = None
        ruleset.effective_from = start
        ruleset.name = f"{ruleset.name}（{start:%Y-%m}版）"
        ruleset.save()
        for s in scopes:
            s.pk, s.ruleset = None, ruleset
            s.save()
    return ruleset


@transaction.atomic
def recognise_person(person, *, actor, month: date, reason: str, order: WorkOrder | None = None) -> StaffRecognition:
    """R7.1 names people as well as units: a month's recognition of one member of staff."""
    from .models import StaffRecognition

    _centre(actor)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": ["请填写表扬事由（至少5个字）。"]})
    if not person.is_active or not person.role:
        raise ValidationError({"person": ["表扬对象须为在岗人员。"]})
    month = month.replace(day=1)
    if StaffRecognition.objects.filter(month=month, person=person).exists():
        raise ValidationError({"person": [f"{person}本月已获表扬。"]})
    recognition = StaffRecognition.objects.create(
        month=month, person=person, unit=person.unit, reason=reason, order=order, by=actor
    )
    if order is not None:
        order_services.record_event(
            order,
            action="staff_recognised",
            actor=actor,
            data={"recognition_id": recognition.pk, "month": f"{month:%Y-%m}"},
        )
    return recognition
