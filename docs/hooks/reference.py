"""A mkdocs hook: adds the file reference (reference/*.md), generated from lmsgen's models at build time."""

from __future__ import annotations

from mkdocs.structure.files import File, Files

from lmsgen.model.reference import reference_pages


def on_files(files: Files, config) -> Files:
    for name, text in reference_pages().items():
        files.append(File.generated(config, f"reference/{name}", content=text))
    return files
