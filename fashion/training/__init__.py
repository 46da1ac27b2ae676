"""Training: configurations (fine-tuning included), data pipelines, the one trainer, lineage."""
