"""Typed, schema-versioned results: measurements, the files that hold them, and a results folder
read once (see result_files.py for the on-disk format and its changelog). Imports base and corpus."""

from evaluator.results.result_files import (  # noqa: F401
    FORMAT, MIGRATIONS, RESULTS, SCHEMA_VERSION, FileFormat, ResultFile, ResultFileError, ResultProblem, ResultScan,
    envelope, load_results, migrate, new_result_file, new_run, read_envelope, read_result_file, run_file_path,
    save_result_file, scan_results, utc_now,
)
from evaluator.results.keys import code_hash, corpus_code_hashes, environment_key, output_file, outputs_dir, remove_if_larger  # noqa: F401
from evaluator.results.measurement import CACHEABLE_STATUSES, RECORD_FIELDS, Measurement, ProcessTiming, Timing  # noqa: F401
from evaluator.results.result_set import ResultSet, cache_index, latest_records  # noqa: F401
