"""Static analysis (libcst and radon) of implementation files, never executing them: size, complexity
and API surface per file (analysis_types.py, file_analysis.py), the content-hash cache and the corpus
pass (corpus_analysis.py), metric rows for output (metric_rows.py). Imports base, frameworks, corpus."""
