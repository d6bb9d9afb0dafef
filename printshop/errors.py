"""Error types that carry a place, so the CLI can print one clear line per problem.

UserError (and ProblemList) are the user's to fix and end in exit code 1; anything
else that escapes is an internal error (exit code 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, pinned to a file position when known."""

    message: str
    path: Path | str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = display_path(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        # one line, whatever the input: a key or value may itself contain line breaks
        message = " ".join(self.message.splitlines())
        return where + message


class UserError(Exception):
    """A problem with the user's input or options; printed as one line, exit 1."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.problem = Problem(message, path, line, column)
        super().__init__(str(self.problem))

    @property
    def problems(self) -> list[Problem]:
        return [self.problem]


class ProblemList(UserError):
    """Several input problems found in one pass (e.g. by `makebook check`)."""

    def __init__(self, problems: list[Problem]) -> None:
        self._problems = list(problems)
        first = self._problems[0]
        super().__init__(first.message, first.path, first.line, first.column)

    @property
    def problems(self) -> list[Problem]:
        return self._problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self._problems)
