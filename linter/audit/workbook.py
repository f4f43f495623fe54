"""The XLSX workbooks: the audit's (all findings, agencies, failed files) and one report's
findings for ``serve``. Sheets a reader can sort and filter; document text is never a formula."""

from __future__ import annotations

from linter.levels import NAMES as NAME
from linter.render import category_label
from linter.safetext import xml_text

FINDING_HEAD = ["文件", "机关", "年度", "地区", "规则", "类别", "级别", "位置", "问题", "修改建议"]
WIDTHS = {
    "文件": 36,
    "机关": 24,
    "年度": 7,
    "地区": 10,
    "规则": 9,
    "类别": 22,
    "级别": 6,
    "位置": 30,
    "问题": 60,
    "修改建议": 50,
    "报告数": 8,
    "错误": 7,
    "警告": 7,
    "原因": 60,
}


def _sheet(ws, title: str, head: list[str], rows) -> None:
    """One sheet a reader can sort and filter: bold frozen header, autofilter, sized and wrapped columns."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.title = title
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:  # characters XML forbids are shown escaped; text is never a formula
        ws.append([xml_text(v) if isinstance(v, str) else v for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, name in enumerate(head, start=1):
        letter = get_column_letter(n)
        ws.column_dimensions[letter].width = WIDTHS.get(name, 14)
        if WIDTHS.get(name, 14) >= 30:
            for (cell,) in ws.iter_rows(min_row=2, min_col=n, max_col=n):
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(ws.max_row, 1)}"


def xlsx(data: dict, path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheets = [
        ("全部问题", FINDING_HEAD, data["sheet"]),
        ("各机关汇总", ["机关", "报告数", NAME["error"], NAME["warning"]], data["agencies"]),
        ("失败文件", ["文件", "原因"], data["failed"]),
    ]
    for n, (title, head, rows) in enumerate(sheets):
        _sheet(wb.active if n == 0 else wb.create_sheet(), title, head, rows)
    wb.save(path if hasattr(path, "write") else str(path))


def findings_workbook(records: list[dict], out) -> None:
    """One report's findings (``Finding.record()`` dicts) as a workbook, for ``serve``."""
    from openpyxl import Workbook

    wb = Workbook()
    rows = [
        (
            r["file"],
            r["rule"],
            category_label(r["category"]),
            NAME.get(r["level"], r["level"]),
            r["where"],
            r["message"],
            r.get("fix") or "",
        )
        for r in records
    ]
    _sheet(wb.active, "问题清单", ["文件", "规则", "类别", "级别", "位置", "问题", "修改建议"], rows)
    wb.save(out)
