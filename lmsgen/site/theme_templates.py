"""The organisation's templates (`theme/templates/<name>.html`), rendered in Jinja2's sandbox (docs/theme.md).

A template is code, and every pull request is hostile input that CI builds (docs/threat-model.md). So an
organisation's template is only ever rendered by an `ImmutableSandboxedEnvironment` (still autoescaped): it
cannot reach Python's internals (`''.__class__.__mro__`, `cycler.__init__.__globals__`), cannot change the data it
is given, cannot touch files, modules or classes, and cannot multiply text or numbers past a bound. Anything it
tries that the sandbox refuses, or any error it makes, is a `ThemeError` naming the template and its line, and
the build keeps the last good site.

lmsgen's own templates stay in the fast environment (`pages._ENV`): only a template the organisation replaced,
or one that imports or includes a replaced one, goes through the sandbox, so a portal costs the same as before
unless the organisation replaced the portal's template.
"""

from __future__ import annotations

import io
import operator
import types
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..model.theme_format import TEMPLATES_FOLDER

PREFIX = f"{TEMPLATES_FOLDER}/"
MAX_SIZE = 100_000
"""The longest text or list a `*` may make, and the largest number a `**` may."""
_UNSAFE_METHODS = frozenset({"read", "write", "write_text", "write_bytes", "read_text", "read_bytes", "open",
                             "unlink", "rmdir", "mkdir", "rename", "touch", "chmod", "save", "remove",
                             "remove_tree", "remember", "recall", "warm"})
"""Methods no template needs, that read or write files or fill caches, refused whatever they belong to."""
_UNSAFE_TYPES = (PurePath, types.ModuleType, type, io.IOBase)


class ThemeError(Exception):
    """An organisation's template failed or tried what the sandbox refuses; the message names it and its line."""


class _ThemeLoader(jinja2.BaseLoader):
    """The organisation's templates, by name, from the texts read out of the repository (never from disk)."""

    def __init__(self, texts: Mapping[str, str]):
        self.texts = dict(texts)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template not in self.texts:
            raise jinja2.TemplateNotFound(template)
        return self.texts[template], PREFIX + template, lambda: True


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, which also refuses paths, modules, classes and open files, methods that touch
    files or caches, and a `*` or `**` that would make something huge."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str, type], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Every check here and in Jinja's sandbox depends on the types and the name alone, so each answer is kept
        # by them: a portal reads the same attributes thousands of times.
        key = (type(obj), attr, type(value))
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = not (isinstance(obj, _UNSAFE_TYPES) or isinstance(value, _UNSAFE_TYPES)
                                          or attr in _UNSAFE_METHODS) and super().is_safe_attribute(obj, attr, value)
        return safe

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > 100 or isinstance(left, (str, list, tuple)):
                raise SecurityError("the power is too large for a template")
            return operator.pow(left, right)
        sizes = [len(side) for side in (left, right) if isinstance(side, (str, list, tuple))]
        counts = [side for side in (left, right) if isinstance(side, int) and not isinstance(side, bool)]
        if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_SIZE:
            raise SecurityError(f"the product is longer than {MAX_SIZE:,}, too long for a template")
        return operator.mul(left, right)


class _Sandboxed:
    """A sandboxed template, whose every failure is a `ThemeError`."""

    def __init__(self, template: jinja2.Template, sandbox: Sandbox, name: str):
        self.template, self.sandbox, self.name = template, sandbox, name

    def make_module(self, variables: dict[str, Any]) -> Any:
        try:
            return self.template.make_module(variables)
        except Exception as problem:  # noqa: BLE001 - whatever a template does wrong, the build says where
            raise ThemeError(f"{self._place(problem)}: {_reason(problem)}") from None

    def _place(self, problem: BaseException) -> str:
        """`theme/templates/<name>:<line>` of the last line of an organisation's template the error passed."""
        place = PREFIX + self.name
        trace = problem.__traceback__
        while trace is not None:
            filename = trace.tb_frame.f_code.co_filename
            if filename.startswith(PREFIX):
                try:
                    line = self.sandbox.get_template(filename.removeprefix(PREFIX)).get_corresponding_lineno(
                        trace.tb_lineno)
                    place = f"{filename}:{line}"
                except jinja2.TemplateError:
                    place = filename
            trace = trace.tb_next
        return place


def _reason(problem: BaseException) -> str:
    if isinstance(problem, SecurityError):
        return f"refused by the sandbox: {problem}"
    text = str(problem).strip() or type(problem).__name__
    return text if isinstance(problem, jinja2.TemplateError) else f"{type(problem).__name__}: {text}"


class Templates:
    """Where each template is rendered from: lmsgen's fast environment, or the sandbox for an organisation's
    template and for any of lmsgen's that imports or includes one (`get_template`, as an environment's)."""

    def __init__(self, base: jinja2.Environment, overrides: Mapping[str, str]):
        self.base = base
        self.overrides = dict(overrides)
        self.sandbox = Sandbox(loader=jinja2.ChoiceLoader([_ThemeLoader(overrides), base.loader]),
                               autoescape=True, trim_blocks=base.trim_blocks, lstrip_blocks=base.lstrip_blocks,
                               undefined=jinja2.StrictUndefined, extensions=list(base.extensions))
        self.sandbox.filters.update(base.filters)
        self.sandbox.globals.update(base.globals)
        self._sandboxed: dict[str, bool] = {}
        self._templates: dict[str, Any] = {}

    def on(self, base: jinja2.Environment) -> Templates:
        """The same organisation's templates over another of lmsgen's environments (a language's)."""
        return self if base is self.base else Templates(base, self.overrides)

    def get_template(self, name: str) -> Any:
        if name not in self._templates:
            if self._needs_sandbox(name, set()):
                try:
                    template = self.sandbox.get_template(name)
                except jinja2.TemplateError as problem:
                    raise ThemeError(f"{PREFIX}{name}: {_reason(problem)}") from None
                self._templates[name] = _Sandboxed(template, self.sandbox, name)
            else:
                self._templates[name] = self.base.get_template(name)
        return self._templates[name]

    def _needs_sandbox(self, name: str, seen: set[str]) -> bool:
        """Whether `name` is the organisation's, or imports, includes or extends (at any depth) one that is."""
        if name in self.overrides:
            return True
        if name in self._sandboxed:
            return self._sandboxed[name]
        seen.add(name)
        try:
            source = self.base.loader.get_source(self.base, name)[0] if self.base.loader else ""
            referenced = set(meta.find_referenced_templates(self.base.parse(source)))
        except jinja2.TemplateError:
            referenced = set()
        needs = any(ref is None or (ref not in seen and self._needs_sandbox(ref, seen)) for ref in referenced)
        self._sandboxed[name] = needs
        return needs
