"""Keep the store URL in a Prefect Secret block, so work-pool runs read it at run time.

prefect.yaml passes only the block's name (``SWARMOPS_STORE_SECRET``) to the workers;
the URL itself, with its password, lives encrypted in the Prefect server. Run once
per server: ``python -m deployments.secrets postgresql+psycopg://user:pw@db/swarmops``.
"""

from __future__ import annotations

import sys

BLOCK = "swarmops-store-url"


def save_store_url(url: str, name: str = BLOCK) -> str:
    """Create or overwrite the Secret block ``name`` holding ``url``; returns the name."""
    from prefect.blocks.system import Secret

    Secret(value=url).save(name, overwrite=True)
    return name


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].strip():
        print("usage: python -m deployments.secrets STORE_URL", file=sys.stderr)
        raise SystemExit(2)
    print(f"saved the store URL in Secret block {save_store_url(sys.argv[1])!r}")
