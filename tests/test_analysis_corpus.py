"""Many files: static-only corpora, paths, the process pool, and the content-hash cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from evaluator.analysis import cache as cache_module
from evaluator.analysis.corpus_analysis import analyze

FIXTURES = Path(__file__).resolve().parent / "analysis_fixtures"
STATIC_CORPUS = FIXTURES / "static_corpus"


def test_a_static_only_corpus_is_a_set_of_paired_implementations():
    result = analyze(tasks_dir=STATIC_CORPUS, cache_dir=None, workers=1)
    assert result.static_only and result.problems == ()
    pairs = sorted((f.target.implementation.task_id, f.target.implementation.key) for f in result.files)
    assert pairs == [("linear_regression", "tensorflow"), ("linear_regression", "torch"),
                     ("softmax", "tensorflow"), ("softmax", "torch")]
    by_key = {(f.target.implementation.task_id, f.target.implementation.key): f.analysis for f in result.files}
    assert dict(by_key["softmax", "torch"].api.apis) == {"torch.as_tensor": 1, "torch.softmax": 1}
    assert dict(by_key["softmax", "tensorflow"].api.apis) == {"tensorflow.convert_to_tensor": 1, "tensorflow.nn.softmax": 1}
    assert by_key["softmax", "torch"].api.call_keywords == 1
    assert dict(by_key["linear_regression", "torch"].api.unresolved_method_calls) == {
        "backward": 1, "parameters": 1, "step": 1, "zero_grad": 1,
    }


def test_paths_search_folders_and_skip_hidden_ones(tmp_path):
    (tmp_path / "pkg" / ".hidden").mkdir(parents=True)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "pkg" / ".hidden" / "b.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "__pycache__" / "c.py").write_text("x = 1\n")
    (tmp_path / "script.txt").write_text("y = 2\n")
    result = analyze([tmp_path / "pkg", tmp_path / "script.txt", tmp_path / "missing"], cache_dir=None, workers=1)
    assert [f.target.path.name for f in result.files] == ["a.py", "script.txt"]
    assert result.problems == (f"{tmp_path / 'missing'}: no such file or folder",)
    assert all(f.target.implementation is None for f in result.files)


def test_the_pool_gives_the_same_results_as_one_process():
    one = analyze(tasks_dir=STATIC_CORPUS, cache_dir=None, workers=1)
    pool = analyze(tasks_dir=STATIC_CORPUS, cache_dir=None, workers=2)
    assert pool.files == one.files


def test_cache_hit_miss_and_changed_content(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(STATIC_CORPUS, corpus)
    cache = tmp_path / "cache"
    first = analyze(tasks_dir=corpus, cache_dir=cache, workers=1)
    assert (first.analysed, first.cache_hits) == (4, 0)
    second = analyze(tasks_dir=corpus, cache_dir=cache, workers=1)
    assert (second.analysed, second.cache_hits) == (0, 4)
    assert second.files == first.files
    edited = corpus / "softmax" / "torch_impl.py"
    edited.write_text(edited.read_text() + "\n\nEPSILON = torch.finfo(torch.float32).eps\n")
    third = analyze(tasks_dir=corpus, cache_dir=cache, workers=1)
    assert (third.analysed, third.cache_hits) == (1, 3)
    changed = next(f.analysis for f in third.files if f.target.path == edited)
    assert dict(changed.api.apis)["torch.finfo"] == 1


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.json"))


def test_corrupt_or_foreign_cache_entries_are_ignored_and_rewritten(tmp_path):
    cache = tmp_path / "cache"
    fresh = analyze(tasks_dir=STATIC_CORPUS, cache_dir=cache, workers=1)
    entries = _entries(cache)
    assert len(entries) == 4
    entries[0].write_text("{ not json")
    entry = json.loads(entries[1].read_text())
    entries[1].write_text(json.dumps({**entry, "fingerprint": entry["fingerprint"].replace("analysis=", "analysis=0")}))
    entry = json.loads(entries[2].read_text())
    entries[2].write_text(json.dumps({**entry, "schema_version": 999}))
    entry = json.loads(entries[3].read_text())
    del entry["analysis"]["size"]
    entries[3].write_text(json.dumps(entry))
    again = analyze(tasks_dir=STATIC_CORPUS, cache_dir=cache, workers=1)
    assert (again.analysed, again.cache_hits) == (4, 0)
    assert again.files == fresh.files
    assert all(json.loads(p.read_text())["schema_version"] == cache_module.CACHE_SCHEMA_VERSION for p in _entries(cache))
    assert analyze(tasks_dir=STATIC_CORPUS, cache_dir=cache, workers=1).cache_hits == 4


def test_a_new_analysis_version_never_trusts_old_entries(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    analyze(tasks_dir=STATIC_CORPUS, cache_dir=cache, workers=1)
    monkeypatch.setattr(cache_module, "ANALYSIS_VERSION", cache_module.ANALYSIS_VERSION + 1)
    result = analyze(tasks_dir=STATIC_CORPUS, cache_dir=cache, workers=1)
    assert (result.analysed, result.cache_hits) == (4, 0)


def test_an_unwritable_cache_is_a_problem_not_a_failure(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    result = analyze(tasks_dir=STATIC_CORPUS, cache_dir=blocker, workers=1)
    assert all(f.analysis.error is None for f in result.files) and len(result.files) == 4
    assert len(result.problems) == 1 and "cache not written" in result.problems[0]
