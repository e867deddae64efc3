"""Checking an edit before it lands: findings against the rules and the baseline."""

from __future__ import annotations

from swarmops.compliance.check_source import check_source
from swarmops.service.context import Services
from swarmops.service.models import ComplianceAnswer, ComplianceBody, FindingOut
from swarmops.tokens import Principal


def check(env: Services, caller: Principal, body: ComplianceBody) -> ComplianceAnswer:
    """Any authenticated caller; reads nothing from the store and writes nothing anywhere."""
    del caller
    report = check_source(body.path, body.content, env.rules, env.baseline)
    findings = [
        FindingOut(
            **f.model_dump(include=set(FindingOut.model_fields) - {"message"}), message=f.describe()
        )
        for f in report.findings
    ]
    new = sum(1 for f in report.findings if f.is_new is not False)
    return ComplianceAnswer(
        path=body.path, findings=findings, new=new, rules_source=env.rules_source
    )
