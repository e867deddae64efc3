"""Prefect flows: the four pipeline stages, the pipeline, and the operational flows
that run on their own schedules. One flow per module; shared scaffolding in ``_stage``."""
