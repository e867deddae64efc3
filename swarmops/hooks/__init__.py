"""The agents' hooks: coordination and compliance inside the agent's own edit loop.

``swarmops hook session-start|pre-tool-use|post-tool-use|stop`` read a Claude Code (or
Codex) hook payload on stdin and answer in that tool's hook protocol; ``swarmops hook
pre-commit`` guards a git commit. They run on every tool call, so this package imports
nothing heavy on the gateway path (no SQLAlchemy, pydantic, pandas or prefect: checked
with ``-X importtime`` by a test) and every wait is bounded by a time budget. When
swarmops cannot be reached they fail open: the agent's work goes on, with a warning.
"""
