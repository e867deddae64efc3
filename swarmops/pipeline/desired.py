"""The desired state: what the config says the swarm should be, with a content revision.

Built once from settings at the edge; its JSON snapshot is what the deployment stage
records in ``applied_revisions``, so ``rollback`` can re-apply an earlier one exactly.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, computed_field, model_validator

from swarmops.compliance import RuleSet
from swarmops.compliance.sources import rules_from_mapping
from swarmops.contracts import ContractSpec, load_contract_files
from swarmops.errors import InvalidDefinition
from swarmops.fsm import AgentSpec, load_roster
from swarmops.pipeline.report import bullet_list
from swarmops.settings import Settings
from swarmops.yaml_strict import load_yaml


class DesiredState(BaseModel):
    """Agents, contracts and compliance setup as config declares them."""

    model_config = ConfigDict(frozen=True)

    fsm: Path
    agents: tuple[AgentSpec, ...]
    contracts: tuple[ContractSpec, ...]
    rules: Path
    rules_text: str | None
    compliance_roots: tuple[Path, ...]
    baseline: Path

    @model_validator(mode="after")
    def _unique_ids(self) -> DesiredState:
        for kind, ids in (
            ("agent", [a.id for a in self.agents]),
            ("contract", [c.id for c in self.contracts]),
        ):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise InvalidDefinition(
                    f"desired state declares {kind}(s) twice: {', '.join(twice)}"
                )
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def revision(self) -> str:
        """A SHA-256 of the desired content: equal content, equal revision."""
        content = self.model_dump(mode="json", exclude={"revision"})
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def snapshot(self) -> dict[str, Any]:
        """The JSON document recorded with an applied revision."""
        return self.model_dump(mode="json")

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> DesiredState:
        """Rebuild a recorded desired state (its revision is recomputed, so it must match)."""
        return cls.model_validate({k: v for k, v in data.items() if k != "revision"})

    def rule_set(self) -> RuleSet:
        """The compliance rules as recorded (the file's text), or the built-in defaults."""
        if self.rules_text is None:
            return RuleSet.model_validate({})
        try:
            data = load_yaml(self.rules_text)
        except yaml.YAMLError as exc:
            raise InvalidDefinition(f"{self.rules}: cannot read rules: {exc}") from exc
        return rules_from_mapping(data or {}, str(self.rules))

    def markdown(self) -> str:
        lines = [
            f"**Desired revision** `{self.revision[:12]}`",
            "",
            f"- agents: {len(self.agents)}; contracts: {len(self.contracts)}",
            f"- rules: `{self.rules}`; baseline: `{self.baseline}`",
            "- compliance roots:",
        ]
        return "\n".join([*lines, bullet_list(f"`{root}`" for root in self.compliance_roots)])


def load_desired(settings: Settings) -> DesiredState:
    """Read the roster, the contract files and the compliance setup that settings name;
    an invalid roster, contract or rules file is refused with one message naming it."""
    rules = settings.compliance.rules
    desired = DesiredState(
        fsm=settings.fsm,
        agents=tuple(sorted(load_roster(settings.agents), key=lambda spec: spec.id)),
        contracts=tuple(sorted(load_contract_files(settings.contracts), key=lambda c: c.id)),
        rules=rules,
        rules_text=rules.read_text(encoding="utf-8") if rules.is_file() else None,
        compliance_roots=tuple(settings.compliance.roots),
        baseline=settings.compliance.baseline,
    )
    desired.rule_set()  # a bad rules file is refused now, by name, not mid-deployment
    return desired
