"""Synthetic organisations: `lmsgen demo --people N`, deterministic, for benchmarks and for trying lmsgen at scale.

May import: every stage below the site (`lmsgen.integrations`, `lmsgen.history`, `lmsgen.rules`,
`lmsgen.model`, `lmsgen.cache`) and the shared modules.
Must not import: site or commands.
"""
