"""The site: the organisation rendered as static pages, one build at a time.

`build` validates, renders into a staging folder and swaps it in whole; `views` computes what each
page shows; `pages` renders it (Jinja2, autoescaped) into the shells `mkdocs_project` made with
mkdocs-material; `links` makes the git host's web-editor links; `serve` serves a build on localhost.

May import: every stage below it (`lmsgen.demo` aside) and the shared modules.
Must not import: commands.
"""
