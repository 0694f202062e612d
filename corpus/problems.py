"""Problems found in contributed files, reported one line each with file, position and fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is (file, 1-based line and column), what is wrong and how to fix it."""

    file: str
    line: int | None
    column: int | None
    severity: str  # "error" or "warning"
    code: str
    message: str
    fix: str

    def format(self) -> str:
        """The problem as one line: `file:line:col: error[code]: message; fix: ...`."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}[{self.code}]: {self.message}; fix: {self.fix}"


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a code-point offset in `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and byte column of a byte offset in raw `data`."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


class ProblemsFound(Exception):
    """Raised by operations that refuse to continue because validation found errors."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) found")
        self.problems = problems
