"""The speed part of the report: one comparison per size, process medians and their spread, Holm
across tasks, and per task whether the faster side changes from small to medium. Synthetic
evidence with known answers: PyTorch 3x faster at small, TensorFlow 2x faster at medium on t0-t5,
PyTorch 1.5x faster at medium on t6-t9."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.corpus.discovery import Corpus
from evaluator.claims.report_builder import build_report
from evaluator.report.layout import report_sections
from evaluator.report.markdown import render_markdown
from evaluator.claims.report_model import RunEnvironment
from evaluator.report.tables import latency_memory_table, size_change_tables, speed_tables

from synthetic_evidence import records_for, run, task

N = 10


@pytest.fixture(scope="module")
def report():
    runs = []
    for i in range(N):
        runs += [run(f"t{i}", "torch", 0.001), run(f"t{i}", "tensorflow", 0.003)]
        medium_torch = 0.040 if i < 6 else 0.030
        medium_tf = 0.020 if i < 6 else 0.045
        runs += [run(f"t{i}", "torch", medium_torch, size="medium"), run(f"t{i}", "tensorflow", medium_tf, size="medium")]
    corpus = Corpus(Path("tasks"), tuple(task(f"t{i}") for i in range(N)))
    env = [RunEnvironment("m1", "cpu", None, "3.11", {"torch": "2", "tensorflow": "2"}, {"torch": 1.0, "tensorflow": 3.0},
                          1, "0.1", "abc", "m1.json")]
    return build_report(corpus, records_for(N, 0.7), runs, env, command="easeval report", corpus_revision="abc",
                        static_only=False)


def test_speed_is_compared_per_size_small_first(report):
    assert [(s.size, s.setting) for s in report.speed] == [("small", "1 thread, small size"), ("medium", "1 thread, medium size")]
    small, medium = report.speed
    assert small.overall.ratio == pytest.approx(1 / 3)
    # geometric mean of six ratios of 2 and four of 2/3: 2^0.6 * (2/3)^0.4
    assert medium.overall.ratio == pytest.approx(2**0.6 * (2 / 3) ** 0.4)


def test_per_task_tests_use_the_process_medians_and_holm_across_tasks(report):
    small = report.speed[0]
    t0 = small.tasks[0]
    assert t0.a_process_medians_s == pytest.approx((0.001 * 0.98, 0.001, 0.001 * 1.02))
    assert t0.a_spread == pytest.approx(0.04) and t0.b_spread == pytest.approx(0.04)
    c = t0.comparison
    assert (c.n_a, c.n_b, c.method) == (3, 3, "welch-t-log")
    # ten equal tasks: Holm multiplies the smallest p by 10, and equal p-values all end at 10 p
    assert c.pvalue_holm == pytest.approx(min(1.0, 10 * c.pvalue))
    assert c.verdict == "b_higher" and all(t.comparison.verdict == "b_higher" for t in small.tasks)  # TensorFlow slower


def test_size_changes_say_which_tasks_flip(report):
    changes = {c.task_id: c for c in report.size_changes}
    assert sorted(changes) == [f"t{i}" for i in range(N)]
    assert all(changes[f"t{i}"].changes and changes[f"t{i}"].changes_significantly for i in range(6))
    assert not any(changes[f"t{i}"].changes for i in range(6, N))
    assert changes["t0"].smaller == "small" and changes["t0"].larger == "medium"
    (table,) = size_change_tables(report)
    assert table.header == ("task", "ratio PyTorch/TensorFlow at small", "ratio PyTorch/TensorFlow at medium",
                            "faster side changes")
    assert table.rows[0] == ("t0", "0.333 (PyTorch faster)", "2 (TensorFlow faster)", "YES, significant at both sizes")
    assert table.rows[9][3] == "no"


def test_headline_names_the_size_and_counts_the_flips(report):
    speed_lines = [h for h in report.headline if "steady state" in h]
    assert speed_lines[0].startswith("At the small size (overhead-dominated), on cpu (m1, 1 thread, small size), PyTorch is 3.00x faster")
    assert speed_lines[1].startswith("At the medium size (PyTorch run() >= ~20 ms)")
    flips = [h for h in report.headline if "faster side changes" in h]
    assert flips == ["PyTorch vs TensorFlow from the small to the medium size (m1, cpu): the faster side changes in 6 of "
                     "10 tasks (t0, t1, t2, t3, t4, t5); significantly at both sizes in 6."]


def test_tables_show_process_spread_and_both_p_values(report):
    small_table, medium_table = speed_tables(report)
    assert "at the small size" in small_table.title and "at the medium size" in medium_table.title
    assert small_table.header == ("task", "PyTorch ms", "TensorFlow ms", "ratio PyTorch/TensorFlow", "95% CI", "p",
                                  "p (Holm)", "verdict")
    assert small_table.rows[0][1] == "1 ± 2% (3 proc.)"   # median 1 ms, half the 4% range
    assert "Holm across the tasks" in small_table.note and "unit of replication" in small_table.note
    latency = latency_memory_table(report)
    assert latency.header[3] == "size" and "process spread" in latency.header
    row = next(r for r in latency.rows if r[0] == "t0" and r[3] == "medium")
    assert row[latency.header.index("processes")] == "3" and row[latency.header.index("process spread")] == "4.0%"


def test_markdown_has_the_speed_section_with_both_sizes(report):
    text = "\n".join(render_markdown(report))
    assert "Speed on cpu at the small size" in text and "Speed on cpu at the medium size" in text
    assert "Does the faster side change with size?" in text
    speed = next(s for s in report_sections(report) if s.id == "speed")
    titles = [b.table.title for b in speed.blocks if hasattr(b, "table")]
    assert titles.index("Does the faster side change with size? PyTorch vs TensorFlow, small to medium (m1, cpu, 1 thread)") == 2


def test_a_gpu_run_without_tensorflow_is_said_per_machine():
    runs = [run("t0", "torch", 0.001, machine="gpu-box", device="cuda"),
            run("t0", "tensorflow", 0.002, machine="gpu-box", device="cuda", status="skipped"),
            run("t0", "torch", 0.001, machine="laptop"), run("t0", "tensorflow", 0.002, machine="laptop")]
    corpus = Corpus(Path("tasks"), (task("t0"),))
    report = build_report(corpus, records_for(1, 0.7), runs, [], command="easeval report", corpus_revision="abc",
                          static_only=False)
    gpu = [t for t in report.threats if "not measured on a GPU" in t]
    assert any(t.startswith("TensorFlow was not measured on a GPU on machine gpu-box (a GPU run there measured other "
                            "frameworks only)") for t in gpu)
    assert any(t.startswith("TensorFlow was not measured on a GPU on machine laptop (CPU only)") for t in gpu)
    assert any(t.startswith("PyTorch was not measured on a GPU on machine laptop") for t in gpu)
    assert not any("PyTorch was not measured on a GPU on machine gpu-box" in t for t in gpu)
