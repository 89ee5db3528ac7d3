"""Fuzzes the loader and `lmsgen check` with random and mutated YAML and odd paths: counts tracebacks and hangs.

    python benchmarks/fuzz.py [--inputs 20000] [--timeout 5] [--seed 0] [--check-every 25]

Each input changes one file of a small demo organisation: the bytes of one of its real files mutated (bytes
flipped, lines inserted, deleted or repeated, deep nesting, huge numbers, tags, anchors, odd unicode), a
generated YAML text (tests/model/yaml_texts.py), or a file at an odd path (a newline, unicode, `..`, a very long
name, a FIFO, a symbolic link, a folder where a file belongs). Every input goes through the loader and the checks
in memory (`load`, `validate`); every `--check-every`-th is written to a working tree and judged by the real
`lmsgen check` (`cli.main`). A traceback is any exception out of them: data problems are diagnostics, never
exceptions. A hang is an input that takes longer than `--timeout` seconds. Inputs run in a child process, so a
crash or a hang is counted and the run goes on; the inputs are drawn by hypothesis.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "model"))
from yaml_texts import yaml_texts  # noqa: E402 - the test helpers' texts, found by the path just added

from lmsgen.cache.digests import blob_id  # noqa: E402
from lmsgen.cache.memo import Memo  # noqa: E402
from lmsgen.cli import main as lmsgen  # noqa: E402
from lmsgen.demo.generator import write_demo  # noqa: E402
from lmsgen.model.files import FileRef  # noqa: E402
from lmsgen.model.loading import load  # noqa: E402
from lmsgen.rules.validation import validate  # noqa: E402

DEMO_PEOPLE = 12


@dataclass(frozen=True)
class Change:
    """One input: `path` (relative, maybe odd) becomes a file of `content`, a FIFO, a link to `target` or a folder."""

    path: str
    kind: str = "file"
    content: bytes = b""
    target: str = ""


def demo_files(root: Path) -> dict[str, bytes]:
    """The demo organisation's files by relative path."""
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# Mutations of real files ---------------------------------------------------------------------------------------

ODD_TEXT = ["\u00e9", "\u202e", "\u65e5\u672c", "\U0001f600", "\u200b", "\ufeff", "\u0301", "\t", "\r", "\x00",
            "\x85", "\u2028", "\\", "'", '"', "#", "&a ", "*a", "!!binary ", "!!set ", "!x ", "!!str ", "? ", ": ",
            "- ", "[", "]", "{", "}", ",", "|", ">", "%YAML 1.2\n---\n", "---\n", "...\n", "<<: *a\n", "~", "null",
            "9" * 4001, "1e999", "-0x1F", "0o777", "1_000", ".nan", "-.inf", "2026-02-30", "2026-13-01",
            "9999-12-31T25:61", "yes", "True", "!!int ", "!!float ", "!!bool ", "&a [*a]", "&a x\n*a: 1\n"]
NESTING = ["- ", "[", "{a: ", "? ", "  ", "a:\n", "- a:\n  "]


def _deep(draw) -> bytes:
    """Nesting around the bound and far past it, in every style; flow brackets closed, or not."""
    depth = draw(st.sampled_from([30, 63, 64, 65, 100, 999, 1000, 1001, 5000, 12_000]))
    step, close = draw(st.sampled_from([("- ", ""), ("[", "]"), ("{a: ", "}"), ("? ", ""), ("[a: ", "]"),
                                        ("- [", "]"), ("- a: ", "")]))
    closing = close * depth if draw(st.booleans()) else ""
    return (step * depth + "x" + closing + "\n").encode()


def _place(draw, content: bytes) -> int:
    """Where to edit: anywhere, at the start of a line, or where a value starts (after `: ` or `- `)."""
    where = draw(st.sampled_from(["anywhere", "line", "value"]))
    starts = ([0] + [index + 1 for index, byte in enumerate(content) if byte == 10] if where == "line" else
              [index + 2 for index in range(len(content) - 1) if content[index + 1] == 32 and content[index] in b":-"]
              if where == "value" else [])
    return draw(st.sampled_from(starts)) if starts else draw(st.integers(0, len(content)))


def _mutate(draw, content: bytes) -> bytes:
    """A few random edits of `content`: bytes, lines, deep nesting, odd text."""
    for _ in range(draw(st.integers(1, 4))):
        at = _place(draw, content)
        edit = draw(st.sampled_from(["byte", "insert", "delete-line", "repeat-line", "nest", "nest", "cut", "swap"]))
        if edit == "byte":
            content = content[:at] + bytes([draw(st.integers(0, 255))]) + content[at + 1:]
        elif edit == "insert":
            content = content[:at] + draw(st.sampled_from(ODD_TEXT)).encode() + content[at:]
        elif edit in ("delete-line", "repeat-line"):
            lines = content.split(b"\n")
            line = draw(st.integers(0, len(lines) - 1))
            copies = 0 if edit == "delete-line" else draw(st.integers(2, 2000))
            content = b"\n".join(lines[:line] + [lines[line]] * copies + lines[line + 1:])
        elif edit == "nest":
            content = content[:at] + _deep(draw) + content[at:]
        elif edit == "cut":
            content = content[:at]
        else:
            other = draw(st.integers(0, len(content)))
            content = content[:min(at, other)] + content[max(at, other):] + content[min(at, other):max(at, other)]
    return content


def _odd_path(draw, path: str) -> str:
    """The path of a real file changed: a newline, unicode, `..`, a very long name, another extension..."""
    folder, _, name = path.rpartition("/")
    edit = draw(st.sampled_from(["same", "same", "newline", "unicode", "dots", "long", "extension", "case",
                                      "space", "deeper", "dash", "backslash"]))
    stem = name.removesuffix(".yaml")
    name = {
        "newline": f"{stem}\nx.yaml", "unicode": f"{stem}\u00e9\u202e.yaml", "dots": f"../{stem}.yaml",
        "long": "a" * draw(st.sampled_from([200, 255, 300])) + ".yaml", "extension": f"{stem}.yml",
        "case": name.upper(), "space": f" {name}", "deeper": f"x/{name}", "dash": f"-{name}",
        "backslash": f"{stem}\\x.yaml",
    }.get(edit, name)
    return f"{folder}/{name}" if folder else name


def changes(files: dict[str, bytes]) -> st.SearchStrategy[Change]:
    """Inputs for the demo organisation of `files`."""
    paths = sorted(path for path in files if path.endswith(".yaml"))

    @st.composite
    def change(draw) -> Change:
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["mutate"] * 6 + ["text"] * 3 + ["fifo", "link", "folder"]))
        where = _odd_path(draw, path) if draw(st.integers(0, 3)) == 0 else path
        if kind == "mutate":
            content = _mutate(draw, files[path])
            if draw(st.integers(0, 4)) == 0:  # deep nesting as the last entry, where it is otherwise valid
                last = content.rstrip(b"\n").rpartition(b"\n")[2]
                content += b"\n" + last[:len(last) - len(last.lstrip(b" "))] + _deep(draw)
            return Change(where, content=content)
        if kind == "text":
            return Change(where, content=draw(yaml_texts).encode("utf-8", "surrogatepass"))
        if kind == "link":
            return Change(where, "link", target=draw(st.sampled_from(["/etc/passwd", "../org.yaml", path, "nowhere",
                                                                      where])))
        return Change(where, kind)

    return change()


# Judging one input ---------------------------------------------------------------------------------------------

class Organisation:
    """A demo organisation in memory and in a working tree, with a memo shared by the inputs it judges."""

    def __init__(self, pristine: Path, work: Path):
        self.pristine, self.work = pristine, work
        self.files = demo_files(pristine)
        self.memo = Memo.in_memory()
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work, symlinks=True)

    def in_memory(self, change: Change) -> None:
        """The loader and the checks on the organisation with the change, from files in memory."""
        files = dict(self.files)
        files[change.path] = change.content if change.kind == "file" else b""
        refs = [FileRef(path, blob_id(content), lambda content=content: content) for path, content in files.items()]
        validate(load(refs, self.memo, save=False), whole_tree=True)

    def on_disk(self, change: Change) -> None:
        """The real `lmsgen check` on the working tree with the change; the tree is put back afterwards."""
        target = self.work / change.path
        inside = ".." not in Path(change.path).parts and target.resolve().is_relative_to(self.work.resolve())
        if not inside:
            return
        original = self.files.get(change.path)
        try:
            if target.is_symlink() or target.exists():
                target.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            {"file": lambda: target.write_bytes(change.content), "fifo": lambda: os.mkfifo(target),
             "link": lambda: target.symlink_to(change.target), "folder": lambda: target.mkdir()}[change.kind]()
        except OSError:  # a name too long, a folder where a file is: nothing to judge
            return
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = lmsgen(["check", "--root", str(self.work)])
            if code not in (0, 1):
                raise AssertionError(f"lmsgen check exited {code}")
        finally:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            if original is not None:
                target.write_bytes(original)

    def judge(self, change: Change, *, check: bool) -> None:
        """Raises whatever the loader, the checks or `lmsgen check` raise on the change."""
        self.in_memory(change)
        if check:
            self.on_disk(change)


# The run -------------------------------------------------------------------------------------------------------

def _child(connection, pristine: Path, work: Path) -> None:
    organisation = Organisation(pristine, work)
    while True:
        message = connection.recv()
        if message is None:
            return
        change, check = message
        try:
            organisation.judge(change, check=check)
            connection.send(None)
        except Exception:  # noqa: BLE001 - every exception is what the fuzz looks for
            connection.send(traceback.format_exc())


class Runner:
    """Judges inputs in a child process, one at a time, with a timeout; restarts it after a hang or a crash."""

    def __init__(self, pristine: Path, work: Path, timeout: float):
        self.pristine, self.work, self.timeout = pristine, work, timeout
        self.context = multiprocessing.get_context("fork")
        self.process = None
        self.inputs = self.tracebacks = self.hangs = 0
        self.reports: list[str] = []

    def _start(self) -> None:
        self.connection, child_end = self.context.Pipe()
        # Not a daemon: a large input makes the loader start its own pool of processes.
        self.process = self.context.Process(target=_child, args=(child_end, self.pristine, self.work))
        self.process.start()

    def run(self, change: Change, *, check: bool) -> None:
        if self.process is None or not self.process.is_alive():
            self._start()
        self.inputs += 1
        self.connection.send((change, check))
        if not self.connection.poll(self.timeout):
            self.hangs += 1
            self.reports.append(f"HANG over {self.timeout}s: {change!r:.2000}")
            self.process.kill()
            self.process.join()
            self.process = None
            return
        try:
            answer = self.connection.recv()
        except EOFError:
            answer = f"the process died (exit code {self.process.exitcode})"
            self.process.join()
            self.process = None
        if answer is not None:
            self.tracebacks += 1
            self.reports.append(f"TRACEBACK on {change!r:.2000}\n{answer}")

    def stop(self) -> None:
        if self.process is not None:
            self.connection.send(None)
            self.process.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--check-every", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lmsgen-fuzz-") as folder:
        pristine, work = Path(folder) / "pristine", Path(folder) / "work"
        write_demo(pristine, DEMO_PEOPLE)
        runner = Runner(pristine, work, args.timeout)
        started = time.perf_counter()

        @settings(max_examples=args.inputs, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(changes(demo_files(pristine)))
        def fuzz(change: Change) -> None:
            runner.run(change, check=runner.inputs % args.check_every == 0)
            if runner.inputs % 1000 == 0:
                print(f"{runner.inputs:,} inputs, {runner.tracebacks} tracebacks, {runner.hangs} hangs, "
                      f"{time.perf_counter() - started:.0f} s", flush=True)

        seed(args.seed)(fuzz)()  # the same inputs for the same seed
        runner.stop()
    for report in runner.reports:
        print(report)
    print(f"inputs run: {runner.inputs:,}; tracebacks: {runner.tracebacks}; hangs: {runner.hangs}; "
          f"wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
