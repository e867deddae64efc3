"""The one YAML loader of swarmops: PyYAML's safe loader, refusing a key given twice and
a NUL character in a string.

PyYAML keeps the last of two equal keys, so a repeated ``owner:`` or ``store_url:``
silently overrides the first; a ``"\\0"`` escape is a NUL that PostgreSQL's text columns
refuse and SQLite's keep (and no path can hold). Every YAML file the project reads
(settings, roster, machine, contracts, rules, probes, deployments) goes through
``load_yaml`` instead.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode

MERGE_TAG = "tag:yaml.org,2002:merge"


class StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` whose mappings refuse a duplicate key and strings a NUL."""

    def construct_scalar(self, node: ScalarNode | MappingNode) -> Any:
        value = super().construct_scalar(node)
        if isinstance(value, str) and "\x00" in value:
            line = node.start_mark.line + 1
            raise ConstructorError(problem=f"a NUL character (\\0) in a string (line {line})")
        return value

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if key_node.tag == MERGE_TAG:  # `<<: *base` may override what it merges
                continue
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            try:
                duplicate = key in seen
            except TypeError:  # unhashable: the safe loader refuses it with its own message
                continue
            if duplicate:
                line = key_node.start_mark.line + 1
                raise ConstructorError(problem=f"duplicate key {key!r} (line {line})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Parse ``text`` like ``yaml.safe_load``; a duplicate key or a NUL is a YAMLError."""
    return yaml.load(text, Loader=StrictLoader)
