"""The cache: what lmsgen derived from content, kept between runs under a digest of that content.

The ground floor. Every stage above reaches it through `memo.Memo`, one small interface: a
result is remembered under the digest of what it was derived from (a file's blob id, the policy's
input files, lmsgen's own code), so it can never be stale, only missing. `store` keeps those
entries on disk where no pull request can write them (in the repository's git folder), and
ignores what does not verify.

May import: the standard library, pydantic's version, `lmsgen.gcpause` and `lmsgen.writing`.
Must not import: any other stage. It knows nothing of organisations: keys and values are plain data.
"""
