"""Notice templates: Django's template language, limited to plain text, `if`, `for` and the
variables Hotline provides, so a template edited in the console can reach nothing else."""

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import Node, TextNode, VariableNode
from django.template.defaulttags import ForNode, IfNode
from django.utils.translation import gettext as _

# The top-level names a template may use, and the attributes of each listed url.
VARIABLES = frozenset(
    {"hotline_name", "reference", "recipient_name", "urls", "url_count", "repeat", "country"}
)
URL_ATTRIBUTES = frozenset({"address", "case_reference", "confirmed_at", "first_notified_at"})
ALLOWED_NODES = (TextNode, VariableNode, IfNode, ForNode)

# No loaders, no libraries: `load`, `include` and `extends` find nothing. autoescape is off
# because the result is a plain-text email.
_ENGINE = Engine(dirs=[], app_dirs=False, libraries={}, autoescape=False, loaders=[])


def check_template(source: str, field: str) -> Template:
    """The compiled template, or a ValidationError naming what it may not use."""
    try:
        template = _ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise ValidationError({field: str(error)}) from None
    problem = next(_problems(template.nodelist, set()), None)
    if problem is not None:
        raise ValidationError({field: problem})
    return template


def render(source: str, context: Mapping[str, Any]) -> str:
    return check_template(source, "body").render(Context(dict(context), autoescape=False))


def _problems(nodes: list[Node], loop_names: set[str]) -> Iterator[str]:
    for node in nodes:
        if not isinstance(node, ALLOWED_NODES):
            token: Any = getattr(node, "token", None)
            tag = token.contents if token is not None else type(node).__name__
            yield _("Only text, variables, if and for may be used, not %(tag)s.") % {"tag": tag}
            continue
        inner_loop = set(loop_names)
        if isinstance(node, ForNode):
            sequence: Any = node.sequence
            for name in _lookup(sequence.var):
                yield from _variable_problems(name, loop_names)
            inner_loop |= set(node.loopvars)
        for name in _node_variables(node):
            yield from _variable_problems(name, inner_loop)
        for child_list in node.child_nodelists:
            yield from _problems(list(getattr(node, child_list, None) or []), inner_loop)
        if isinstance(node, IfNode):
            for _condition, branch in node.conditions_nodelists:
                yield from _problems(list(branch), inner_loop)


def _node_variables(node: Node) -> Iterator[str]:
    if isinstance(node, VariableNode):
        yield from _lookup(node.filter_expression.var)
    if isinstance(node, IfNode):
        for condition, _branch in node.conditions_nodelists:
            yield from _condition_variables(condition)


def _condition_variables(condition: Any) -> Iterator[str]:
    if condition is None:
        return
    value = getattr(condition, "value", None)
    if value is not None:
        yield from _lookup(getattr(value, "var", None))
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None and part is not condition:
            yield from _condition_variables(part)


def _lookup(variable: object) -> Iterator[str]:
    """The dotted name a template variable looks up; nothing for a literal ("1", "'text'")."""
    lookups = getattr(variable, "lookups", None)
    if lookups:
        yield ".".join(lookups)


def _variable_problems(name: str, loop_names: set[str]) -> Iterator[str]:
    head, _dot, rest = name.partition(".")
    if head in loop_names:
        if rest and rest.split(".")[0] not in URL_ATTRIBUTES | {"counter"}:
            yield _("%(name)s is not something a url in a notice has.") % {"name": name}
        return
    if head == "forloop" and rest in ("counter", "first", "last"):
        return
    if head not in VARIABLES or (rest and head != "urls"):
        yield _("%(name)s is not a variable notices offer.") % {"name": name}
