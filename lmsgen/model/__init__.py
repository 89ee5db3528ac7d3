"""The model: an organisation repository's files read into typed, validated values.

Files come in as (path, bytes) from the working tree or a commit (`files`); `layout` says which
kind each path is; `yamlfile` reads YAML safely, with positions; `formats` holds one pydantic model
per file kind; `loading` turns them into an `organisation.Organisation`, with every problem a
`diagnostics.Diagnostic`; `schema` writes the JSON Schemas editors use.

May import: `lmsgen.cache`, `lmsgen.gcpause`, `lmsgen.errors`, `lmsgen.writing`.
Must not import: rules, history, integrations, demo, site or commands. The model judges a file on
its own; whatever needs two files to decide belongs to the rules.
"""
