"""Contract progress: contracts as files, a status machine, progress events, rollups, alerts.

Every write (``apply_contracts``, ``change_status``, ``set_owner``, ``record_progress``,
``reject_stale``, ``sync_alerts``) takes the caller's unit of work first, so
assignment, failover, ``init`` and the deployment stage compose them with their own
writes; callers with none run one through ``swarmops.store.in_unit``. Reads take the
Store. Pandas loads only for rollups.
"""

from __future__ import annotations

from swarmops.contracts.alerts import Alert, AlertSync, sync_alerts
from swarmops.contracts.apply import (
    ApplyPlan,
    apply_contracts,
    plan_contracts,
    set_owner,
)
from swarmops.contracts.models import Contract, ContractEvent, ContractTask, ProgressEvent
from swarmops.contracts.progress import (
    ProgressRequest,
    ProgressResult,
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
from swarmops.contracts.recovery import (
    ContractDifference,
    ContractVerifyReport,
    verify_contracts,
)
from swarmops.contracts.spec import ContractSpec, Priority, TaskSpec, load_contract_files
from swarmops.contracts.status import (
    FINISHED,
    HELD,
    OPEN_STATUSES,
    OWNER_TO_MOVE,
    TAKES_PROGRESS,
    change_status,
    contract_machine,
)

__all__ = [
    "FINISHED",
    "HELD",
    "OPEN_STATUSES",
    "OWNER_TO_MOVE",
    "TAKES_PROGRESS",
    "Alert",
    "AlertSync",
    "ApplyPlan",
    "Contract",
    "ContractDifference",
    "ContractEvent",
    "ContractSpec",
    "ContractTask",
    "ContractVerifyReport",
    "Priority",
    "ProgressEvent",
    "ProgressRequest",
    "ProgressResult",
    "TaskSpec",
    "apply_contracts",
    "change_status",
    "contract_history",
    "contract_machine",
    "get_contract",
    "list_contracts",
    "load_contract_files",
    "percent_by_contract",
    "plan_contracts",
    "read_frames",
    "record_progress",
    "reject_stale",
    "set_owner",
    "sync_alerts",
    "verify_contracts",
]
