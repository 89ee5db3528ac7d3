"""`lmsgen serve`: the built site on 127.0.0.1, and a cheap look for changed data files."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from ..model.layout import DATA_ROOTS


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every data file, to tell when a rebuild is due."""
    found: dict[str, tuple[int, int]] = {}
    for start in (root / name for name in DATA_ROOTS):
        paths = [start] if start.is_file() else (start.rglob("*.yaml") if start.is_dir() else [])
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            found[str(path.relative_to(root))] = (stat.st_mtime_ns, stat.st_size)
    return found


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".ics": "text/calendar",
                      ".json": "application/json", ".csv": "text/csv"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # a quiet server: the terminal shows rebuilds, not every request


def start_server(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """Serves `folder` on 127.0.0.1:`port` (0: any free port) in a background thread."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
