"""The pieces file written in chunks (`pieces._streamed`) reads back as the payload it was made from."""

import marshal

from lmsgen.site import pieces
from lmsgen.writing import Tree


def test_the_streamed_payload_is_what_marshal_reads_back(tmp_path):
    payload = {"format": pieces.FORMAT, "people": {"ann": ("k1", b"\x00main", b"events"), "bo": ("k2", b"", b"")},
               "exports": {"status.csv": ((1, 2, 3), {"ann": (0, 5)})}, "certifications": {"ann": ("k1", b"x")}}
    streamed = b"".join(pieces._streamed(payload))
    assert marshal.loads(streamed) == payload
    lazy = pieces._Encoding(["ann", "bo"], lambda person: ("k", person.encode(), b""))
    assert marshal.loads(b"".join(pieces._streamed({"people": lazy}))) == {
        "people": {"ann": ("k", b"ann", b""), "bo": ("k", b"bo", b"")}}


def test_a_patch_is_written_over_the_start_once_the_chunks_are(tmp_path):
    with Tree(tmp_path) as tree:
        tree.write("kept/file", b"????", stream=iter([b"abc", b"def"]), patch=lambda: b"HEAD")
    assert (tmp_path / "kept" / "file").read_bytes() == b"HEADabcdef"
