"""Deciding: the one normalized Report object (report_model.py) built by pure functions
(report_builder.py) from the metric comparisons (metric_comparisons.py) and the claims, decided by the
claim protocol (claim_protocol.py with claims_protocol.toml; claim_verdicts.py, claim_outcomes.py,
robustness.py, paired_evidence.py), the replication corpora (replication.py) and the essay's other
assertions (essay_assertions.py). Imports every layer below it (base to debugging); renders nothing."""
