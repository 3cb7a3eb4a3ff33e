"""The one error type a loader lets escape, with a reason code and a sentence for the user."""

from __future__ import annotations

from enum import StrEnum


class LoadProblem(StrEnum):
    NOT_FOUND = "not_found"
    IS_DIRECTORY = "is_directory"
    NOT_A_FILE = "not_a_file"
    PERMISSION = "permission"
    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too_large"
    UNDECODABLE = "undecodable"
    UNREADABLE = "unreadable"
    NO_TEXT = "no_text"


class PolicyLoadError(Exception):
    """A file that cannot be shown as a policy; ``str(error)`` is a complete sentence for the user."""

    def __init__(self, problem: LoadProblem, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.path = path
        self.message = message
