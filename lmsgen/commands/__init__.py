"""The command line: one module per command.

Each registers its arguments, calls the core once, and turns the results into output and an exit
code (`reporting` renders diagnostics as text, JSON or workflow annotations). Nothing here decides
anything about the data: that is the stages' work.

May import: every stage.
Must not import: `lmsgen.cli`, which imports it.
"""
