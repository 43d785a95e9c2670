"""The monthly report as a PDF (R32.1), drawn with ReportLab.

Chinese comes from ReportLab's built-in CID font STSong-Light: the PDF names the font and every
reader ships it (Adobe's Asian font packs, pdf.js, poppler), so nothing is downloaded or
embedded and the file stays small.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, spaceAfter=6)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _counts(title: str, rows: list[dict], total: int) -> list:
    if not rows:
        return [Paragraph(title, HEADING), Paragraph("本月无数据。", BODY)]
    body = [["类别", "件数", "占比"]] + [
        [r["label"], str(r["n"]), _pct(100 * r["n"] / total if total else None)] for r in rows
    ]
    return [Paragraph(title, HEADING), _table(body, [90, 30, 30])]


def _rates(title: str, rows: list[dict]) -> list:
    if not rows:
        return [Paragraph(title, HEADING), Paragraph("本月尚未完成考核。", BODY)]
    body = [["排名", "单位", "响应率", "解决率", "满意率", "综合得分"]] + [
        [
            str(r["rank"]),
            r["unit"],
            _pct(r["response"]),
            _pct(r["resolution"]),
            _pct(r["satisfaction"]),
            "—" if r["score"] is None else f"{r['score']:.2f}",
        ]
        for r in rows
    ]
    return [Paragraph(title, HEADING), _table(body, [14, 62, 24, 24, 24, 24])]


def _topics(rows: list[dict], analysed: int) -> list:
    title = Paragraph("本月热点", HEADING)
    if not rows:
        return [title, Paragraph("本月没有多人反映的同一问题。", BODY)]
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12)

    def text(value: str) -> Paragraph:
        # A Paragraph reads markup: citizens' words ("<", "&") are escaped, never interpreted.
        return Paragraph(escape(value or "—"), cell)

    body = [["排名", "热点", "事项", "件数", "涉及地点"]] + [
        [
            str(i),
            text(r["label"]),
            text(r["matter"]),
            str(r["size"]),
            text("、".join(r["places"]) + (f"等（另有{r['more_places']}处）" if r.get("more_places") else "")),
        ]
        for i, r in enumerate(rows, start=1)
    ]
    note = Paragraph(f"由本月 {analysed} 件诉求按内容、地点和时间归并而成；涉及个人的姓名、电话和门牌已隐去。", BODY)
    return [title, note, Spacer(1, 2 * mm), _table(body, [12, 70, 30, 14, 54])]


def render(report: dict) -> bytes:
    buffer = BytesIO()
    month = report["month"]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"12345市民服务热线{month:%Y年%m月}接诉即办月度报告",
        author="12345市民服务热线",
    )
    overall = report["overall"]
    story = [
        Paragraph(f"12345市民服务热线 {month.year}年{month.month}月 接诉即办月度报告", TITLE),
        Paragraph(f"本月受理诉求 {report['total']} 件。", BODY),
        Paragraph(
            f"各区平均：响应率 {_pct(overall['response'])}，解决率 {_pct(overall['resolution'])}，"
            f"满意率 {_pct(overall['satisfaction'])}。",
            BODY,
        ),
        Spacer(1, 4 * mm),
        *_counts("按受理渠道", report["by_channel"], report["total"]),
        *_counts("按诉求类型", report["by_kind"], report["total"]),
        *_counts("按诉求事项（前20位）", report["by_matter"], report["total"]),
        *_topics(report["topics"], report.get("topics_analysed", 0)),
        *_rates("各区三率与排名", report["districts"]),
        *_rates("街道（乡镇）三率与排名", report["townships"]),
    ]
    doc.build(story)
    return buffer.getvalue()
