"""Issue 22 part 6 (b): debug files and result files share one envelope (results.result_files): the same
keys, run block, file name, migration and checks; a bad debug file is an error naming the file and the key."""

import json

import pytest

from evaluator.base.environment import collect_environment
from evaluator.debugging.debug_records import (
    DEBUG_FORMAT, DEBUG_SCHEMA_VERSION, DebugFileError, DebugRecord, DebugSet, new_debug_file, read_debug_file,
    save_debug_file,
)
from evaluator.results import new_result_file, read_result_file, save_result_file

from conftest import TASKS


@pytest.fixture(scope="module")
def environment():
    return collect_environment(TASKS, machine="testbox")


def test_debug_and_result_files_share_the_envelope(tmp_path, environment):
    debug = new_debug_file(tmp_path, environment, {"aids": False})
    debug.records.append(DebugRecord(task="t", impl_key="torch", framework="torch", operator="ACT", site_id="ACT@3",
                                     aids=False, status="incorrect", outcome="silent-caught", line=3, end_line=3))
    save_debug_file(debug)
    result = new_result_file(tmp_path, environment, {"device": "cpu"})
    save_result_file(result)
    d, r = json.loads(debug.path.read_text()), json.loads(result.path.read_text())
    assert set(d) == set(r) == {"format", "schema_version", "run", "environment", "records"}
    assert d["format"] == DEBUG_FORMAT and d["schema_version"] == DEBUG_SCHEMA_VERSION
    assert d["environment"] == r["environment"]
    assert set(d["run"]) <= set(r["run"]) and {"id", "started_at", "finished_at", "complete", "options"} <= set(d["run"])
    # the same file name scheme, in their own folders
    assert debug.path.parent.name == "debug" and debug.path.name.startswith("testbox-") and result.path.name.startswith("testbox-")
    again = read_debug_file(debug.path)
    assert again.records == debug.records and again.run == debug.run
    assert read_result_file(result.path).run == result.run


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"format": "easeval-results", "schema_version": 2}', 'not an easeval debug file (no "format": "easeval-debug")'),
    ('{"format": "easeval-debug", "schema_version": 9, "run": {}, "environment": {}, "records": []}',
     "written with debug schema 9, newer than this easeval understands"),
    ('{"format": "easeval-debug", "schema_version": 1, "run": {}, "environment": {}, "records": "x"}',
     "key 'records' missing or not a list"),
    ('{"format": "easeval-debug", "schema_version": 1, "run": {}, "environment": {}, "records": [{"task": "t"}]}',
     "key 'records', entries [0] lack task, impl_key, framework, site_id, aids, status or outcome"),
])
def test_a_bad_debug_file_names_the_file_and_the_key(tmp_path, content, message):
    path = tmp_path / "debug" / "bad.json"
    path.parent.mkdir()
    path.write_text(content)
    with pytest.raises(DebugFileError) as caught:
        read_debug_file(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)
    # a folder with a bad file still reads the others; the bad one is a problem naming it
    loaded = DebugSet.load(tmp_path)
    assert loaded.files == [] and len(loaded.problems) == 1 and str(path) in loaded.problems[0]
