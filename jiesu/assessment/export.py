"""The month's results as an Excel workbook a district office forwards as it is (R31.1).

One sheet per group (districts, township offices, departments, enterprises) with a title, the
rules version and digest in the footer, percentages as percentages, frozen header, print set to
landscape on one page width; and a sheet of the rules used. Optionally limited to one district's
units, so a district office gets exactly its own table.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jiesu.directory.models import Place

from . import core, selectors
from .models import GROUPS, AssessmentRun

HEADERS = [
    ("排名", 6),
    ("单位", 34),
    ("所属区", 10),
    ("有效回访工单", 12),
    ("剔除工单", 9),
    ("响应率", 9),
    ("解决率", 9),
    ("满意率", 9),
    ("三率得分", 9),
    ("加分", 7),
    ("扣分", 7),
    ("综合得分", 9),
    ("分类", 7),
    ("上月得分", 9),
    ("环比", 8),
    ("上月排名", 9),
]
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CLASS_FILL = {"先进": "E2F0D9", "进步": "DDEBF7", "整改": "FFF2CC", "治理": "F8CBAD"}


def workbook(run: AssessmentRun, *, district: Place | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    scope = f"{district.name}" if district else "全市"
    for group, label in GROUPS:
        if group == "other":
            continue
        rows = list(selectors.ranking(run, group, district_id=district.pk if district else None))
        if district and not rows:
            continue
        ws = wb.create_sheet(str(label)[:31])
        title = f"{run.month:%Y年%m月}接诉即办考核结果（{scope}·{label}）"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        ws["A1"] = title
        ws["A1"].font = Font(size=14, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center")
        computed = timezone.localtime(run.computed_at)
        ws["A2"] = (
            f"考核规则版本：{_version(run)}；三率按有效回访计算；"
            f"计算时间：{computed:%Y-%m-%d %H:%M}（北京时间）；结果摘要：{run.digest[:16]}"
        )
        ws["A2"].font = Font(size=9, color="666666")
        for col, (head, width) in enumerate(HEADERS, start=1):
            cell = ws.cell(row=3, column=col, value=head)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="D9E1F2")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BOX
            ws.column_dimensions[get_column_letter(col)].width = width
        for r, s in enumerate(rows, start=4):
            klass = core.CLASS_LABELS[s.klass]
            values = [
                s.rank,
                s.unit.name,
                s.unit.district.name if s.unit.district_id else "",
                s.lines,
                s.excluded,
                _f(s.response_rate),
                _f(s.resolution_rate),
                _f(s.satisfaction_rate),
                _f(s.base),
                _f(s.credits),
                _f(s.penalties),
                _f(s.score),
                klass,
                _f(s.previous_score),
                _f(s.delta),
                s.previous_rank,
            ]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=col, value=value)
                cell.border = BOX
                if 6 <= col <= 8:
                    cell.number_format = "0.00%"
                elif col in (9, 10, 11, 12, 14, 15):
                    cell.number_format = "0.00"
            if klass in CLASS_FILL:
                ws.cell(row=r, column=13).fill = PatternFill("solid", fgColor=CLASS_FILL[klass])
        ws.freeze_panes = "C4"
        ws.print_title_rows = "3:3"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.center.text = f"{title}  第 &P 页，共 &N 页"
    _rules_sheet(wb.create_sheet("考核规则"), run)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


# The rules as people read them: Chinese names, shares as percentages, points as points. The
# snapshot stores thousandths (weights, values) and hundredths (points) so that scores are exact.
MILLI_RULES = [
    ("response_weight", "响应率权重"),
    ("resolution_weight", "解决率权重"),
    ("satisfaction_weight", "满意率权重"),
    ("satisfied_value", "“满意”计分"),
    ("basic_value", "“基本满意”计分"),
    ("unsatisfied_value", "“不满意”计分"),
    ("resolved_value", "“已解决”计分"),
    ("partly_value", "“部分解决”计分"),
    ("unresolved_value", "“未解决”计分"),
    ("report_in_office_share", "吹哨报到部门：街乡评价在满意率中的占比"),
]
POINT_RULES = [
    ("penalty_overdue", "每件无正当理由超期扣分"),
    ("penalty_false_resolved", "每件虚假办结扣分"),
    ("penalty_attitude", "每件服务态度被投诉扣分"),
    ("penalty_cap", "扣分上限"),
    ("credit_cap", "主动治理、疑难案件加分上限"),
    ("advanced_min", "“先进”最低得分"),
    ("rectify_below", "低于此分列为“整改”"),
    ("govern_below", "低于此分列为“治理”"),
    ("improved_rise", "比上月提高此分以上列为“进步”"),
]
ROLE_LABELS = {
    "lead": "主办",
    "coordinate": "统筹协调",
    "assist": "协办",
    "report_in": "吹哨报到",
    "instruct": "提级指导",
}
SCOPE_LABELS = {core.FULL: "考核三率", core.RESPONSE_ONLY: "只考核响应率", core.NOT_ASSESSED: "不考核"}


def _version(run: AssessmentRun) -> str:
    return "默认规则" if run.rules_version == "default" else run.rules_version


def _rules_sheet(ws, run: AssessmentRun) -> None:
    from jiesu.orders.choices import KINDS

    snap = run.rules_snapshot or {}
    head = Font(bold=True)
    ws.append(["考核规则版本", _version(run)])
    ws.append([])
    ws.append(["规则", "取值"])
    for cell in ws[ws.max_row]:
        cell.font = head
    for key, label in MILLI_RULES:
        if key in snap:
            ws.append([label, snap[key] / 1000])
            ws.cell(row=ws.max_row, column=2).number_format = "0.0%"
    for role, weight in (snap.get("role_weights") or {}).items():
        ws.append([f"工单权重：{ROLE_LABELS.get(role, '其他角色')}", weight / 1000])
        ws.cell(row=ws.max_row, column=2).number_format = "0.0%"
    for key, label in POINT_RULES:
        if key in snap:
            ws.append([label, snap[key] / 100])
            ws.cell(row=ws.max_row, column=2).number_format = "0.00"
    kinds = dict(KINDS)
    for rule in snap.get("scopes") or ():
        rule = rule if isinstance(rule, dict) else {}
        where = (
            "、".join(
                filter(
                    None,
                    [
                        f"诉求类型为{kinds.get(rule.get('kind'), '其他')}" if rule.get("kind") else "",
                        f"事项属于{_matters_named(rule['matter_prefix'])}" if rule.get("matter_prefix") else "",
                        f"单位角色为{ROLE_LABELS.get(rule.get('role'), '其他')}" if rule.get("role") else "",
                    ],
                )
            )
            or "其余工单"
        )
        ws.append([f"考核范围：{where}", SCOPE_LABELS.get(rule.get("scope"), "考核三率")])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 44, 20


def _matters_named(prefix: str) -> str:
    """A matter-code prefix (env.air.) as the names it covers: the shared part of their paths."""
    from jiesu.dispatch.runtime import current_engine

    paths = [(*m.path, m.name) for m in current_engine().rules.matters if m.code.startswith(prefix)]
    if not paths:
        return "已停用的事项"
    shared = []
    for level in zip(*paths):
        if len(set(level)) != 1:
            break
        shared.append(level[0])
    return " > ".join(shared) or "多个领域的事项"


def _f(value):
    return None if value is None else float(value)
