"""Running the flows: the embedded default, a local Prefect server, serve and deploy helpers."""
