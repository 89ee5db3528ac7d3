"""History: the organisation in git, over time.

`repository` reads commits without a checkout and writes new commits beside the working tree;
`revision` validates the organisation of a commit; `audit` credits each record and request to the
commit that added it; `pull_requests` holds the rules a change must keep against its base, and
`additions` those for what it adds, judged by that base and by today (which the helpers apply too);
`diffreport` tells reviewers what a change does; `helpers` write a request, a completion, an assignment or
attendance on a new branch; `scaffold` starts a new organisation repository, with the CI files and the
branch-protection ruleset that `hosting` names; `doctor` checks a repository's setup (its CI files read by
`ci_files`) and lists the settings only the git host holds; `erase` removes a person from the tree and from
every commit, replacing what `scrub` finds with a pseudonym.

May import: `lmsgen.rules`, `lmsgen.model`, `lmsgen.cache`, `lmsgen.gcpause`, `lmsgen.errors`, `lmsgen.writing`.
Must not import: integrations, demo, site or commands.
"""
