"""Error types that carry a place, so the CLI can print one clear line per problem.

UserError (and ProblemList) are the user's to fix and end in exit code 1; anything
else that escapes is an internal error (exit code 2).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def problem_order(problem: Problem) -> tuple[str, int, int]:
    return (str(problem.path), problem.line or 0, problem.column or 0)


@dataclass
class Collector:
    """Gathers problems instead of stopping at the first one."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, doc: Any = None, loc: tuple[Any, ...] = ()) -> None:
        if doc is None:
            self.problems.append(Problem(message))
            return
        line, col = doc.where(loc)
        self.problems.append(Problem(message, doc.path, line, col))

    def run(self, func: Callable[[], Any]) -> Any:
        """Call func; record its UserError(s) and return None instead of raising."""
        try:
            return func()
        except UserError as exc:
            self.problems.extend(exc.problems)
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise ProblemList(sorted(dict.fromkeys(self.problems), key=problem_order))


_BOUNDS = {
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
}


def plain_message(err: dict[str, Any]) -> str:
    """A pydantic error in plain words: bounds with the value given, text where a number
    was written (and the other way round) with what to do."""
    kind, ctx, given = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(key)} (got {given!r})"
    if kind == "string_type" and isinstance(given, (int, float)) and not isinstance(given, bool):
        return f'write {given!r} as text, in quotes: "{given}"'
    if kind == "string_pattern_mismatch" and "@" in str(ctx.get("pattern", "")):
        return f"not an e-mail address: {str(given)[:60]!r}"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "is empty; write it or remove it"
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return f"write a date as YYYY-MM-DD, e.g. 2027-01-12 (got {str(given)[:30]!r})"
    return str(err["msg"]).removeprefix("Value error, ")
