"""Hand validation of `easeval debug`'s classification (issue 22): a seeded random sample of planted-bug
records, each with what the developer sees and the outcome recorded, printed as a Markdown table to be
judged by hand (docs/debugging.md, "Hand validation").

    python benchmarks/hand_validation.py                        # runs the sampled tasks (minutes), then draws
    python benchmarks/hand_validation.py --json /tmp/hv.json    # draws from an `easeval debug --format json` output

Seeds: the tasks are `random.Random(TASK_SEED).sample(sorted task ids without data_parallel_step, TASKS)`;
the records `random.Random(RECORD_SEED).sample(mutant records, RECORDS)` (clean runs are not drawn), the
records sorted by (task, implementation, site) before drawing so the draw does not depend on run order.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TASK_SEED, TASKS, RECORD_SEED, RECORDS = 22, 8, 2207, 40
EXCLUDED = {"data_parallel_step"}   # multi-process: issue 22 part 2 looks at it on its own
_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>.*)$')
_CITED = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>[\w<>.]+)')


def sampled_tasks(tasks_dir: Path) -> list[str]:
    ids = sorted(p.name for p in tasks_dir.iterdir() if (p / "task.toml").is_file() and p.name not in EXCLUDED)
    return random.Random(TASK_SEED).sample(ids, TASKS)


def innermost_user_frame(record: dict) -> str:
    """`file:line in function: code` of the deepest traceback frame in the implementation's own file."""
    lines = (record.get("traceback") or "").splitlines()
    found = ""
    for i, line in enumerate(lines):
        match = _FRAME.match(line)
        if match and Path(match["file"]).name == f"{record['impl_key']}_impl.py":
            code = lines[i + 1].strip() if i + 1 < len(lines) and not _FRAME.match(lines[i + 1]) else ""
            found = f"line {match['line']} in {match['function']}: `{code}`"
    return found or "no user frame"


def cited_user_frame(record: dict) -> str:
    """The innermost frame of the implementation's file that the message itself cites (TensorFlow's "in user
    code" block, Dynamo's "from user code"), or ""."""
    cited = [m for m in _CITED.finditer(record.get("message") or "")
             if Path(m["file"]).name == f"{record['impl_key']}_impl.py"]
    return f"; the message cites line {cited[-1]['line']} in {cited[-1]['function']}" if cited else ""


def _cell(text: object, cap: int = 160) -> str:
    text = " ".join(str(text).split())
    text = text if len(text) <= cap else text[:cap - 1] + "…"
    return text.replace("|", "\\|")


def what_is_seen(record: dict) -> str:
    if record["outcome"] == "clean-failed":
        return f"not run: {record.get('skip_reason')}"
    if record.get("exception_type"):
        lines = [line.strip() for line in (record.get("message") or "").strip().splitlines() if line.strip()]
        first = lines[0] if lines else ""
        if first.endswith(":") and len(lines) > 1:   # TensorFlow's "in user code:": the error is its last line
            first += " … " + lines[-1]
        seen = f"{record['exception_type']}: {first}; innermost user frame {innermost_user_frame(record)}" \
            f"{cited_user_frame(record)}"
    elif record["status"] == "incorrect":
        seen = f"output check: {record.get('error')}"
    elif record["status"] == "ok":
        seen = ("output passes the reference; differs from the clean run's" if record.get("differs_from_clean")
                else "output identical to the clean run's")
    else:
        seen = f"{record['status']}: {record.get('error')}"
    new = record.get("new_warnings") or 0
    if record.get("warnings"):
        first = record["warnings"][0]
        seen += f"; warnings {len(record['warnings'])} ({new} new), e.g. {first.get('category')}: {first.get('message')}"
    return seen


def draw(records: list[dict]) -> list[dict]:
    mutants = sorted((r for r in records if r.get("operator") and not r.get("aids")),
                     key=lambda r: (r["task"], r["impl_key"], r.get("line") or 0, r["site_id"]))
    return random.Random(RECORD_SEED).sample(mutants, min(RECORDS, len(mutants)))


def planted_change(before: str, after: str, cap: int = 70, context: int = 20) -> tuple[str, str]:
    """Before and after, single-spaced, cut around where they differ when either is longer than `cap`."""
    before, after = " ".join(before.split()), " ".join(after.split())
    if max(len(before), len(after)) <= cap:
        return before, after
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    lo = max(0, start - context)
    cut = lambda text: ("…" if lo else "") + text[lo:len(text) - max(0, end - context)] + ("…" if end > context else "")
    return cut(before), cut(after)


def table(sample: list[dict]) -> str:
    rows = ["| # | task | impl | operator @ line: before → after | what the developer sees | outcome (grade) |",
            "|---|---|---|---|---|---|"]
    for i, r in enumerate(sample, 1):
        before, after = planted_change(r.get("original_code") or "", r.get("mutated_code") or "")
        planted = f"{r['site_id']}: `{_cell(before, 90)}` → `{_cell(after, 90)}`"
        grade = f" ({r['localisation']})" if r.get("localisation") else ""
        rows.append(f"| {i} | {r['task']} | {r['impl_key']} | {planted} | {_cell(what_is_seen(r), 260)} | "
                    f"{r['outcome']}{grade} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="an `easeval debug --format json` output (default: run it)")
    parser.add_argument("--results", type=Path, default=Path("/tmp/hv"), help="results folder of the run")
    args = parser.parse_args(argv)
    tasks = sampled_tasks(ROOT / "tasks")
    print(f"tasks (random.Random({TASK_SEED}).sample(..., {TASKS})): {', '.join(tasks)}", file=sys.stderr)
    if args.json:
        document = json.loads(args.json.read_text(encoding="utf-8"))
    else:
        out = subprocess.run([sys.executable, "-m", "evaluator", "debug", *tasks, "--results", str(args.results),
                              "--format", "json"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
        document = json.loads(out)
    sample = draw(document["records"])
    print(f"{len(sample)} records drawn with random.Random({RECORD_SEED}) among "
          f"{sum(1 for r in document['records'] if r.get('operator') and not r.get('aids'))} mutant records",
          file=sys.stderr)
    print(table(sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
