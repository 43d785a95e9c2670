"""The month's results as an Excel workbook a district office forwards as it is (R31.1).

One sheet per group (districts, township offices, departments, enterprises) with a title, the
rules version and digest in the footer, percentages as percentages, frozen header, print set to
landscape on one page width; and a sheet of the rules used. Optionally limited to one district's
units, so a district office gets exactly its own table.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jiesu.directory.models import Place

from . import core, selectors
from .models import GROUPS, AssessmentRun

HEADERS = [("排名", 6), ("单位", 34), ("所属区", 10), ("有效回访工单", 12), ("剔除工单", 9), ("响应率", 9),
           ("解决率", 9), ("满意率", 9), ("三率得分", 9), ("加分", 7), ("扣分", 7), ("综合得分", 9),
           ("分类", 7), ("上月得分", 9), ("环比", 8), ("上月排名", 9)]
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
        ws["A2"] = (f"考核规则版本：{run.rules_version}；三率按有效回访计算；计算时间：{run.computed_at:%Y-%m-%d %H:%M}；"
                    f"结果摘要：{run.digest[:16]}")
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
            values = [s.rank, s.unit.name, s.unit.district.name if s.unit.district_id else "", s.lines, s.excluded,
                      _f(s.response_rate), _f(s.resolution_rate), _f(s.satisfaction_rate), _f(s.base), _f(s.credits),
                      _f(s.penalties), _f(s.score), klass, _f(s.previous_score), _f(s.delta), s.previous_rank]
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
    rules = wb.create_sheet("考核规则")
    rules.append(["规则版本", run.rules_version])
    for key, value in run.rules_snapshot.items():
        rules.append([key, str(value)])
    rules.column_dimensions["A"].width, rules.column_dimensions["B"].width = 28, 80
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _f(value):
    return None if value is None else float(value)
