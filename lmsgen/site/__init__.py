"""The site: the organisation rendered as static pages, one build at a time.

`build` validates, renders into a staging folder and swaps it in whole. What each page shows is
computed by `views` (the indexes and names every page shares), `portals` (one person's page) and
`reports` (a team's dashboard and the organisation-wide reports); `pages` renders it (Jinja2,
autoescaped) into the shells `mkdocs_project` made with mkdocs-material; `exports` writes the CSV
and JSON exports and the calendar feeds; `links` makes the git host's web-editor links; `serve`
serves a build on localhost; `access_map` writes who may read which URL for the web server in front.

May import: every stage below it (`lmsgen.demo` aside) and the shared modules.
Must not import: commands.
"""
