"""Validation problems as values: ``Issue`` and the catalogue of stable codes (SPEC §8)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Level.ERROR else "警告"


# code -> short Chinese title. Codes are stable once released; add, never renumber.
CATALOGUE: dict[str, str] = {
    "F01": "文件无法打开",
    "F02": "文件已加密",
    "F03": "不是本系统下发的模板",
    "F04": "单位不在目标责任表中",
    "F05": "文件月份与文件夹月份不符",
    "F06": "旧版模板",
    "F07": "同一单位重复报送",
    "F08": "模板校验码不符",
    "F09": "旧格式文件",
    "F10": "文件超出大小限制",
    "F11": "线索甄别表未经认证",
    "F12": "未填写的模板",
    "S01": "缺少工作表",
    "S02": "表头缺失或改动",
    "R01": "必填项为空",
    "R02": "不是数字",
    "R03": "数值超出范围",
    "R04": "日期无法识别",
    "R05": "日期不在报送月份内",
    "R06": "不在可选列表中",
    "R07": "人员不在本单位名单中",
    "R08": "重复行",
    "R09": "电话号码无效",
    "R10": "项目编号无效",
    "R11": "项目阶段倒退",
    "R12": "阶段与日期不符",
    "R13": "累计数小于上月",
    "R14": "疑似重复项目",
    "R15": "公式未计算",
    "R16": "数值已自动规范",
    "R17": "未登记项目缺少固定资产投资",
    # 目标责任表 (roster) checks
    "T01": "单位编码重复",
    "T02": "人员所属单位不存在",
    "T03": "同一单位内姓名重复",
    "T04": "专职招商人员数量不符",
    "T05": "人员编码重复",
    "T06": "扣罚人数未填",
    "T07": "年度目标未填",
    "T08": "姓名在多个单位重复",
    "T09": "同一单位各年度类型不同",
    "T10": "示例行未替换",
}


@dataclass(frozen=True)
class Issue:
    """One problem found in one file, with where it is and what to do (Chinese)."""

    code: str
    level: Level
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown issue code {self.code}")

    @property
    def where(self) -> str:
        """``项目信息!H7`` style location (or the sheet, or empty)."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def render(self) -> str:
        """One line for the console: ``[错误 T01] 单位!A5:单位编码 C01 重复…``."""
        where = f"{self.where}：" if self.where else ""
        return f"[{self.level.label} {self.code}] {where}{self.message}"


def has_errors(issues: list[Issue]) -> bool:
    return any(i.level is Level.ERROR for i in issues)
