"""YAML front matter, read through python-frontmatter but checked before YAML ever sees it.

libyaml crashes the process (no exception) on front matter nested tens of thousands of levels
deep, and an alias bomb loads quickly and then hangs whatever walks it; both are refused by
cheap textual checks first. Values are loaded as plain strings (YAML's base schema), so YAML 1.1
cannot turn ``NO`` into False or ``012345`` into an octal number; dates are parsed by us.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

MAX_FRONT_MATTER_CHARS = 64_000
MAX_NESTING = 32
MAX_ALIASES = 0  # article metadata has no use for aliases; any alias is refused

_BaseLoader: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_ALIAS_RE = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+")
_OPENING_RE = re.compile(r"^-{3,}[ \t]*\n")
# Front matter starts on the line after ``---``; a blank line there means a horizontal rule.
_OPENING_RULE_RE = re.compile(r"^-{3,}[ \t]*\n[ \t]*(?:\n|$)")
# Metadata keys are short names (``title``, ``og:image``, ``Published-At``), never phrases.
_KEY_RE = re.compile(r"^[A-Za-z_][\w.:-]{0,63}$")


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


def split_front_matter(text: str) -> FrontMatter:
    """Separate front matter from the text, never losing text.

    Front matter is taken only when the text opens with a ``---`` line, a closing ``---`` line
    follows, and the block parses as a mapping. A ``---`` horizontal rule followed by prose,
    malformed YAML, or a refused block leave the text whole (with a warning where it matters).
    """
    if not _OPENING_RE.match(text) or _OPENING_RULE_RE.match(text):
        return FrontMatter({}, text)
    try:
        block, content = _HANDLER.split(text)
    except ValueError:
        return FrontMatter({}, text)
    refusal = _refusal(block)
    if refusal:
        return FrontMatter({}, text, f"{refusal}; shown as text", content.lstrip("\n"))
    try:
        data = _HANDLER.load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # The block starts with the newline of the opening ``---``: its line 1 is file line 2.
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return FrontMatter({}, text, f"malformed front matter{where}; shown as text", content.lstrip("\n"))
    except RecursionError:
        return FrontMatter({}, text, "front matter nested too deeply; shown as text", content.lstrip("\n"))
    if not isinstance(data, dict) or not all(_KEY_RE.match(str(key)) for key in data):
        # A leading horizontal rule, or a block of prose ("The minister said: no" parses as
        # a mapping too, with a phrase for a key): it is article text, not metadata.
        return FrontMatter({}, text)
    metadata = {str(key): value for key, value in data.items()}
    return FrontMatter(metadata, content.lstrip("\n"))
