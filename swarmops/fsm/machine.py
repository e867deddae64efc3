"""A declared state machine: states, named transitions, who may take them, guards.

Generic on purpose: the agent lifecycle and the contract status machine are both
instances. A definition is validated once, when it is parsed, so a loaded machine
is known to be well-formed (every state reachable, nothing leaves a terminal
state, every guard and actor kind known).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from swarmops.errors import IllegalTransition, InvalidDefinition, NotFound
from swarmops.fsm.roles import parse_roles

ACTOR_KINDS: frozenset[str] = frozenset({"agent", "operator", "system"})
ANY_STATE = "*"


class Transition(BaseModel):
    """One allowed move: its name, endpoints, the actor kinds allowed and its guards."""

    model_config = ConfigDict(frozen=True)

    name: str
    source: str
    target: str
    actors: frozenset[str]
    guards: tuple[str, ...] = ()

    def allows(self, actor_kind: str) -> bool:
        return actor_kind in self.actors


class Machine(BaseModel):
    """A validated state machine; build one with ``parse_machine`` or ``load_machine``."""

    model_config = ConfigDict(frozen=True)

    name: str
    states: tuple[str, ...]
    initial: str
    terminal: frozenset[str]
    transitions: tuple[Transition, ...]
    roles: Mapping[str, tuple[str, ...]] = {}

    def role(self, name: str) -> tuple[str, ...]:
        """The states declared for role ``name`` (e.g. ``takes_work``)."""
        if name not in self.roles:
            raise InvalidDefinition(f"{self.name}: no states declared for role {name!r}")
        return self.roles[name]

    def require_state(self, state: str, *, subject: str | None = None) -> str:
        """``state`` if the machine declares it, else NotFound naming the states (and the
        ``subject`` moved, e.g. ``agent 'w1'``, so the line says whom it is about)."""
        if state not in self.states:
            about = f"{subject}: " if subject else ""
            raise NotFound(f"{about}unknown state {state!r} (states: {', '.join(self.states)})")
        return state

    def targets(self, source: str) -> list[str]:
        """The states reachable from ``source`` in one transition, in declared order."""
        return [t.target for t in self.transitions if t.source == source]

    def transition(self, source: str, target: str, *, subject: str | None = None) -> Transition:
        """The declared transition from ``source`` to ``target``, or IllegalTransition
        naming the ``subject`` moved (default: the machine's name)."""
        self.require_state(source, subject=subject)
        self.require_state(target, subject=subject)
        for candidate in self.transitions:
            if candidate.source == source and candidate.target == target:
                return candidate
        allowed = ", ".join(self.targets(source)) or "none"
        why = f"already in {source}; " if source == target else ""
        raise IllegalTransition(
            f"{subject or self.name}: {source} -> {target} is not allowed ({why}allowed from {source}: "
            f"{allowed})"
        )

    def mermaid(self) -> str:
        """The machine as a Mermaid ``stateDiagram-v2``, for READMEs and reports."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for t in self.transitions:
            label = t.name
            if t.guards:
                label += f" [{', '.join(t.guards)}]"
            if t.actors != ACTOR_KINDS:
                label += f" ({', '.join(sorted(t.actors))} only)"
            lines.append(f"    {t.source} --> {t.target}: {label}")
        lines.extend(f"    {state} --> [*]" for state in self.states if state in self.terminal)
        return "\n".join(lines) + "\n"


def load_machine(path: Path, *, guards: Collection[str] = ()) -> Machine:
    """Read and validate a machine definition from a YAML file."""
    from swarmops.config_file import read_yaml

    data = read_yaml(Path(path), "machine", InvalidDefinition)
    return parse_machine(data, source=str(path), guards=guards)


def parse_machine(data: Mapping[str, Any], *, source: str, guards: Collection[str] = ()) -> Machine:
    """Validate a machine definition (a parsed YAML mapping) and build the Machine.

    ``guards`` names the guards the caller can evaluate; others are refused. A
    transition's ``from`` is a state, a list or ``"*"`` (every non-terminal state
    but the target); its ``actors`` default to the top-level ``actors``, else all.
    """
    if not isinstance(data, Mapping):
        raise InvalidDefinition(f"{source}: a machine definition must be a mapping")
    states = _states(data, source)
    initial = data.get("initial")
    if not initial:
        raise InvalidDefinition(f"{source}: no initial state")
    _known(states, [initial], source, "initial state")
    terminal = frozenset(_str_list(data.get("terminal", []), source, "terminal"))
    _known(states, terminal, source, "terminal state")
    default_actors = _actors(data.get("actors", sorted(ACTOR_KINDS)), source, "actors")
    context = _Context(source, states, terminal, default_actors, frozenset(guards))
    transitions = _transitions(data.get("transitions"), context)
    machine = Machine(
        name=str(data.get("name", Path(source).stem)),
        states=states,
        initial=initial,
        terminal=terminal,
        transitions=transitions,
        roles=parse_roles(data.get("roles", {}), states, source),
    )
    _check_reachable(machine, source)
    return machine


class _Context(NamedTuple):
    """What validating one transition entry needs to know about the whole definition."""

    source: str
    states: tuple[str, ...]
    terminal: frozenset[str]
    actors: frozenset[str]
    guards: frozenset[str]


def _states(data: Mapping[str, Any], source: str) -> tuple[str, ...]:
    states = _str_list(data.get("states"), source, "states")
    if not states:
        raise InvalidDefinition(f"{source}: no states declared")
    duplicates = sorted({s for s in states if states.count(s) > 1})
    if duplicates:
        raise InvalidDefinition(f"{source}: duplicate state(s): {', '.join(duplicates)}")
    return tuple(states)


def _transitions(entries: Any, ctx: _Context) -> tuple[Transition, ...]:
    if not isinstance(entries, list) or not entries:
        raise InvalidDefinition(f"{ctx.source}: no transitions declared")
    found: dict[tuple[str, str], Transition] = {}
    for index, entry in enumerate(entries):
        for transition in _expand(entry, index, ctx):
            pair = (transition.source, transition.target)
            if pair in found:
                raise InvalidDefinition(
                    f"{ctx.source}: {pair[0]} -> {pair[1]} declared twice "
                    f"({found[pair].name!r} and {transition.name!r})"
                )
            found[pair] = transition
    return tuple(found.values())


def _expand(entry: Any, index: int, ctx: _Context) -> list[Transition]:
    where = f"{ctx.source}: transitions[{index}]"
    if not isinstance(entry, Mapping) or not entry.get("name") or "to" not in entry:
        raise InvalidDefinition(f"{where}: needs a name, from and to")
    name, target = str(entry["name"]), entry["to"]
    where = f"{ctx.source}: transition {name!r}"
    _known(ctx.states, [target], where, "state")
    sources = _sources(entry.get("from"), target, where, ctx)
    actors = ctx.actors if "actors" not in entry else _actors(entry["actors"], where, "actors")
    guards = tuple(_str_list(entry.get("guards", []), where, "guards"))
    unknown = [g for g in guards if g not in ctx.guards]
    if unknown:
        known = ", ".join(sorted(ctx.guards)) or "none"
        raise InvalidDefinition(f"{where}: unknown guard(s) {', '.join(unknown)} (known: {known})")
    return [
        Transition(name=name, source=s, target=target, actors=actors, guards=guards)
        for s in sources
    ]


def _sources(value: Any, target: str, where: str, ctx: _Context) -> list[str]:
    if value == ANY_STATE:
        return [s for s in ctx.states if s not in ctx.terminal and s != target]
    sources = _str_list(value, where, "from")
    if not sources:
        raise InvalidDefinition(f"{where}: needs a from state")
    _known(ctx.states, sources, where, "state")
    leaving = [s for s in sources if s in ctx.terminal]
    if leaving:
        raise InvalidDefinition(f"{where}: leaves terminal state {', '.join(leaving)}")
    if target in sources:
        raise InvalidDefinition(f"{where}: {target} -> {target} (a state cannot move to itself)")
    return sources


def _actors(value: Any, where: str, key: str) -> frozenset[str]:
    actors = _str_list(value, where, key)
    unknown = sorted(set(actors) - ACTOR_KINDS)
    if unknown:
        raise InvalidDefinition(
            f"{where}: unknown actor kind(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(ACTOR_KINDS))})"
        )
    if not actors:
        raise InvalidDefinition(f"{where}: {key} is empty")
    return frozenset(actors)


def _str_list(value: Any, where: str, key: str) -> list[str]:
    """A YAML scalar or list of strings as a list; anything else is refused."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
        raise InvalidDefinition(f"{where}: {key} must be a string or a list of strings")
    return list(items)


def _known(states: Collection[str], names: Collection[str], where: str, what: str) -> None:
    unknown = [n for n in names if n not in states]
    if unknown:
        raise InvalidDefinition(f"{where}: unknown {what} {', '.join(map(str, unknown))}")


def _check_reachable(machine: Machine, source: str) -> None:
    seen, frontier = {machine.initial}, [machine.initial]
    while frontier:
        for target in machine.targets(frontier.pop()):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    unreachable = [s for s in machine.states if s not in seen]
    if unreachable:
        raise InvalidDefinition(
            f"{source}: unreachable state(s) from {machine.initial}: {', '.join(unreachable)}"
        )
