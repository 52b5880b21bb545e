"""Check a template against its render context before filling it: every tag must exist."""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from pathlib import Path
from typing import Any

from jinja2 import meta, nodes

from pipeline.content.rules import did_you_mean
from pipeline.errors import Problem, TemplateError, display_path
from pipeline.render.context import CONTEXTS
from pipeline.render.engine import parse_template, template_bytes

UNKNOWN = None
_checked: set[str] = set()


def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _element(tp: Any) -> Any:
    return typing.get_args(tp)[0] if typing.get_origin(tp) is list else UNKNOWN


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_dotted(node.node)}[...]"
    return "..."


class _Checker:
    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []

    def resolve(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """Return the type an expression has in the context, or UNKNOWN; note unknown attributes."""
        if isinstance(node, nodes.Name):
            return scope.get(node.name, UNKNOWN)
        if isinstance(node, nodes.Getattr):
            owner = self.resolve(node.node, scope)
            if owner is UNKNOWN or not dataclasses.is_dataclass(owner):
                return UNKNOWN
            fields = _field_types(owner)
            if node.attr not in fields:
                self.problems.append(
                    Problem(
                        self.display,
                        None,
                        "",
                        f"{{{{ {_dotted(node)} }}}} is not a tag: {_dotted(node.node)} has no {node.attr!r}"
                        f"{did_you_mean(node.attr, fields)}; templates/README.md lists the tags",
                    )
                )
                return UNKNOWN
            return fields[node.attr]
        if isinstance(node, nodes.Getitem):
            owner = self.resolve(node.node, scope)
            self.visit(node.arg, scope)
            return _element(owner)
        self.visit(node, scope)
        return UNKNOWN

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            element = _element(self.resolve(node.iter, scope))
            inner = dict(scope)
            inner["loop"] = UNKNOWN
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = element
            for name in node.target.find_all(nodes.Name):  # unpacked targets: types unknown
                inner[name.name] = UNKNOWN
            for child in node.body:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def template_problems(path: Path, kind: str) -> list[Problem]:
    """Return every tag in the template at `path` that its `kind` of context does not have."""
    cls = CONTEXTS[kind]
    display = display_path(path)
    tree = parse_template(path)
    scope = _field_types(cls)
    problems = [
        Problem(
            display,
            None,
            "",
            f"{{{{ {name} }}}} is not a tag of a {kind} template{did_you_mean(name, scope)}; templates/README.md lists the tags",
        )
        for name in sorted(meta.find_undeclared_variables(tree) - set(scope))
    ]
    checker = _Checker(display)
    checker.visit(tree, scope)
    return problems + checker.problems


def check_template(path: Path, kind: str) -> None:
    """Raise a TemplateError listing every unknown tag; each template version is checked once."""
    key = hashlib.sha256(template_bytes(path)).hexdigest() + kind
    if key in _checked:
        return
    problems = template_problems(path, kind)
    if problems:
        raise TemplateError(problems)
    _checked.add(key)
