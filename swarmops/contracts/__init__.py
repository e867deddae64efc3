"""Contract progress: contracts as files, a status machine, progress events, rollups, alerts.

The connection-level primitives (``apply_contracts``, ``change_status``, ``set_owner``,
``progress_in``, ``sync_alerts``) work inside a caller's transaction, so assignment,
failover and the deployment stage compose them with their own writes; the rest are
Store-level wrappers that run one transaction each. Pandas loads only for rollups.
"""

from __future__ import annotations

from swarmops.contracts.alerts import Alert, AlertSync, refresh_alerts, sync_alerts
from swarmops.contracts.apply import (
    ApplyPlan,
    apply_contracts,
    apply_folder,
    plan_contracts,
    set_owner,
)
from swarmops.contracts.models import Contract, ContractEvent, ContractTask, ProgressEvent
from swarmops.contracts.progress import (
    ProgressRequest,
    ProgressResult,
    progress_in,
    record_progress,
    reject_stale,
)
from swarmops.contracts.queries import (
    contract_history,
    get_contract,
    list_contracts,
    percent_by_contract,
    read_frames,
)
from swarmops.contracts.spec import ContractSpec, Priority, TaskSpec, load_contract_files
from swarmops.contracts.status import change_status, contract_machine

__all__ = [
    "Alert",
    "AlertSync",
    "ApplyPlan",
    "Contract",
    "ContractEvent",
    "ContractSpec",
    "ContractTask",
    "Priority",
    "ProgressEvent",
    "ProgressRequest",
    "ProgressResult",
    "TaskSpec",
    "apply_contracts",
    "apply_folder",
    "change_status",
    "contract_history",
    "contract_machine",
    "get_contract",
    "list_contracts",
    "load_contract_files",
    "percent_by_contract",
    "plan_contracts",
    "progress_in",
    "read_frames",
    "record_progress",
    "refresh_alerts",
    "reject_stale",
    "set_owner",
    "sync_alerts",
]
