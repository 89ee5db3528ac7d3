"""Exceptions that commands report as usage problems (exit 2), kept apart from GitPython so that
catching them does not cost its import."""

from __future__ import annotations


class GitError(Exception):
    """A problem with the repository, a revision or the git setup, worded for the person who ran lmsgen."""
