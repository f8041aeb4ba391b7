"""YAML front matter, read through python-frontmatter but checked before YAML ever sees it.

libyaml crashes the process (no exception) on front matter nested tens of thousands of levels
deep, and an alias bomb loads quickly and then hangs whatever walks it; both are refused by
cheap textual checks first. Values are loaded as plain strings (YAML's base schema), so YAML 1.1
cannot turn ``NO`` into False or ``012345`` into an octal number; dates are parsed by us.

The base schema builds nothing from a tag such as ``!!python/object/apply:os.system``, but it
would quietly keep the tagged value (its arguments) as if it were the field: such a field is
dropped and named instead. A block that YAML rejects only because a value holds an unquoted
colon (``title: Doe: no tax rise``, the commonest hand-written mistake) is read as the simple
``key: value`` lines it is, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from reader.core.text import visible

MAX_FRONT_MATTER_CHARS = 64_000
MAX_NESTING = 32
MAX_ALIASES = 0  # article metadata has no use for aliases; any alias is refused

_BaseLoader: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_ALIAS_RE = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+")
_OPENING_RE = re.compile(r"^-{3,}[ \t]*\n")
# ``--- !tag``: a tag on the whole document, written on the opening line.
_TAGGED_OPENING_RE = re.compile(r"^-{3}[ \t]+(![^\s]*)[^\n]*\n")
_CLOSING_RE = re.compile(r"^(?:-{3}|\.{3})[ \t]*$", re.MULTILINE)
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
# The tags YAML gives plain nodes (and their explicit spellings): the base schema keeps their
# values as the strings written, so they are harmless. Any other tag is refused.
_PLAIN_TAGS = frozenset(
    _YAML_TAG_PREFIX + name for name in ("str", "seq", "map", "int", "float", "bool", "null", "timestamp")
)
# One line of hand-written front matter: ``key: value`` at the start of the line.
_SIMPLE_LINE_RE = re.compile(r"([A-Za-z_][\w.:-]{0,63}?):(?:[ \t]+(.*?))?[ \t]*")
# A plain value (not quoted, not a list, no other YAML indicator first) with ": " inside it.
_UNQUOTED_COLON_RE = re.compile(r"[^\s\"'\[\]{}&*!|>%@`#,?:-].*?: ")
# Front matter starts on the line after ``---``; a blank line there means a horizontal rule.
_OPENING_RULE_RE = re.compile(r"^-{3,}[ \t]*\n[ \t]*(?:\n|$)")
# Metadata keys are short names (``title``, ``og:image``, ``Published-At``), never phrases.
_KEY_RE = re.compile(r"^[A-Za-z_][\w.:-]{0,63}$")
# A line YAML can only read as ``key: text``: a short key at the line's start, and a plain
# value with no YAML indicator (nor a space) first, no tab, control, bracket, alias or line
# separator anywhere (what YAML checks for or chokes on); ``: `` and `` #`` inside are refused
# by ``_plain_fields``.
_VALUE_CHAR = r"[^\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff\u2028\u2029\ud800-\udfff\[\]{}*]"
_PLAIN_LINE_RE = re.compile(
    r"([A-Za-z_](?:[\w.:-]{0,62}(?<!:))?):(?: +(?![\s\-?:,#&!|>'\"%@`])(" + _VALUE_CHAR + "+?))? *"
)


class _PlainYAMLHandler(YAMLHandler):  # type: ignore[misc]  # python-frontmatter is untyped
    """python-frontmatter's YAML handler with every scalar kept as the string it was written as."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_BaseLoader)  # noqa: S506 - base loader builds no objects


_HANDLER = _PlainYAMLHandler()


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The outcome of looking for front matter at the top of a text."""

    metadata: dict[str, Any]
    content: str  # the text after the front matter (the whole text when there was none)
    warning: str | None = None
    # After a refused or broken block, the text that follows it: where the title should come
    # from, since the block itself (kept in ``content`` so nothing is lost) is no headline.
    after_rejected_block: str | None = None
    refused_fields: tuple[str, ...] = ()  # keys dropped for a refused YAML tag
    field_warnings: tuple[str, ...] = ()  # one per refused field
    refused_tag: bool = False  # the whole block carried a refused tag: title from the file name


def _nesting_depth(block: str) -> int:
    """An upper bound of how deep a YAML block nests, by indentation and open brackets."""
    deepest = 0
    for line in block.splitlines():
        stripped = line.lstrip(" -")
        indent = len(line) - len(stripped)
        depth = indent // 2 + 1
        brackets = 0
        for char in stripped:
            if char in "[{":
                brackets += 1
                deepest = max(deepest, depth + brackets)
            elif char in "]}":
                brackets -= 1
        deepest = max(deepest, depth)
    return deepest


def _refusal(block: str) -> str | None:
    if len(block) > MAX_FRONT_MATTER_CHARS:
        return f"front matter larger than {MAX_FRONT_MATTER_CHARS:,} characters"
    if _nesting_depth(block) > MAX_NESTING:
        return f"front matter nested deeper than {MAX_NESTING} levels"
    if len(_ALIAS_RE.findall(block)) > MAX_ALIASES and re.search(r"(?:^|\s)&\S", block):
        return "front matter uses YAML aliases"
    return None


def _shown_tag(tag: str) -> str:
    shown = "!!" + tag[len(_YAML_TAG_PREFIX) :] if tag.startswith(_YAML_TAG_PREFIX) else tag
    return visible(shown, limit=80)


def _refused_tag_in(node: yaml.Node) -> str | None:
    """The first tag under ``node`` (itself included) that is not a plain one."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag not in _PLAIN_TAGS:
            return str(current.tag)
        if isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _refused_tags(block: str) -> tuple[str | None, dict[str, str]]:
    """A refused tag on the whole block, and each top-level key whose value carries one."""
    if "!" not in block:
        return None, {}
    root = yaml.compose(block, Loader=_BaseLoader)
    if root is None:
        return None, {}
    if not isinstance(root, yaml.MappingNode) or root.tag not in _PLAIN_TAGS:
        return _refused_tag_in(root), {}
    fields: dict[str, str] = {}
    for key, value in root.value:
        tag = _refused_tag_in(key) or _refused_tag_in(value)
        if tag is not None:
            fields[str(key.value) if isinstance(key, yaml.ScalarNode) else "?"] = tag
    return None, fields


def _one_value(raw: str) -> Any:
    """A value of a recovered line as YAML reads it alone (quotes and ``[a, b]`` understood),
    when that is text or a list of texts; None when YAML cannot read it either."""
    try:
        value = yaml.load(raw, Loader=_BaseLoader)  # noqa: S506 - base loader builds no objects
    except yaml.YAMLError:
        return None
    if value is None or isinstance(value, str) or (isinstance(value, list) and all(isinstance(i, str) for i in value)):
        return "" if value is None else value
    return None


def _simple_lines(block: str, error_line: int | None) -> tuple[dict[str, Any], int] | None:
    """The block read as ``key: value`` lines, and the first line whose value holds an unquoted
    colon; None unless every line is such a line, YAML failed at one with that colon, and
    every other value reads as YAML on its own."""
    metadata: dict[str, Any] = {}
    colons: list[int] = []
    for number, line in enumerate(block.split("\n"), start=1):  # block line 1: the rest of ``---``
        if not line.strip() or line.startswith("#"):
            continue
        match = _SIMPLE_LINE_RE.fullmatch(line)
        if match is None:
            return None
        raw = match.group(2) or ""
        if _UNQUOTED_COLON_RE.match(raw):
            colons.append(number)
            metadata[match.group(1)] = raw
            continue
        value = _one_value(raw)
        if value is None:
            return None
        metadata[match.group(1)] = value
    return (metadata, colons[0]) if error_line in colons else None


def _tagged_document(text: str) -> FrontMatter | None:
    """``--- !tag`` … ``---``: a document-wide tag, refused; the block stays text."""
    opening = _TAGGED_OPENING_RE.match(text)
    closing = _CLOSING_RE.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        return None
    after = text[closing.end() :].lstrip("\n")
    warning = f"front matter has the YAML tag {_shown_tag(opening.group(1))}, which is not allowed; shown as text"
    return FrontMatter({}, text, warning, after, refused_tag=True)


def split_front_matter(text: str) -> FrontMatter:
    """Separate front matter from the text, never losing text.

    Front matter is taken only when the text opens with a ``---`` line, a closing ``---`` line
    follows, and the block parses as a mapping. A ``---`` horizontal rule followed by prose,
    malformed YAML, or a refused block leave the text whole (with a warning where it matters).
    """
    if not _OPENING_RE.match(text) or _OPENING_RULE_RE.match(text):
        return _tagged_document(text) or FrontMatter({}, text)
    try:
        block, content = _HANDLER.split(text)
    except ValueError:
        return FrontMatter({}, text)
    plain = _plain_fields(block)
    if plain is not None:
        return FrontMatter(plain, content.lstrip("\n"))
    return _parsed(text, block, content)


def _plain_fields(block: str) -> dict[str, str] | None:
    """The block's fields when every line is a plain ``key: text`` (or blank): what nearly every
    scraped file has, read as YAML reads it at a tenth of the cost; None for anything else,
    which YAML (and its checks) reads instead."""
    if len(block) > MAX_FRONT_MATTER_CHARS:
        return None
    fields: dict[str, str] = {}
    for line in block.split("\n"):
        if not line:
            continue
        match = _PLAIN_LINE_RE.fullmatch(line)
        if match is None:
            return None
        value = match.group(2) or ""
        if ": " in value or " #" in value or value.endswith(":"):
            return None
        fields[match.group(1)] = value
    return fields or None


def _parsed(text: str, block: str, content: str) -> FrontMatter:
    """Front matter that is more than plain lines, through YAML: refused, recovered or read."""
    refusal = _refusal(block)
    if refusal:
        return FrontMatter({}, text, f"{refusal}; shown as text", content.lstrip("\n"))
    try:
        whole_tag, field_tags = _refused_tags(block)
        data = _HANDLER.load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        recovered = _simple_lines(block, mark.line + 1 if mark is not None else None)
        if recovered is not None:
            # The block starts with the newline of the opening ``---``: its lines are the file's.
            warning = (
                f"front matter line {recovered[1]} has an unquoted ':' in a value; "
                "read as simple 'key: value' lines"
            )
            return FrontMatter(recovered[0], content.lstrip("\n"), warning)
        # The block starts with the newline of the opening ``---``: its line 1 is file line 2.
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return FrontMatter({}, text, f"malformed front matter{where}; shown as text", content.lstrip("\n"))
    except RecursionError:
        return FrontMatter({}, text, "front matter nested too deeply; shown as text", content.lstrip("\n"))
    if whole_tag is not None:
        warning = f"front matter has the YAML tag {_shown_tag(whole_tag)}, which is not allowed; shown as text"
        return FrontMatter({}, text, warning, content.lstrip("\n"), refused_tag=True)
    if not isinstance(data, dict) or not all(_KEY_RE.match(str(key)) for key in data):
        # A leading horizontal rule, or a block of prose ("The minister said: no" parses as
        # a mapping too, with a phrase for a key): it is article text, not metadata.
        return FrontMatter({}, text)
    metadata = {str(key): value for key, value in data.items() if str(key) not in field_tags}
    field_warnings = tuple(
        f"front matter field {visible(key, limit=40)!r} has the YAML tag {_shown_tag(tag)}, "
        "which is not allowed; ignored"
        for key, tag in field_tags.items()
    )
    return FrontMatter(metadata, content.lstrip("\n"), refused_fields=tuple(field_tags), field_warnings=field_warnings)
