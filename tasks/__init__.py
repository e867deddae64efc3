"""Thin Prefect tasks over the swarmops domain: one module per capability.

Each task calls one domain function and adds orchestration policy in its
decorator (retries with exponential backoff and jitter, timeouts, tags); the
logic stays in ``swarmops/`` so it runs and is tested without Prefect.
"""
