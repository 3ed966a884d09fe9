#!/usr/bin/env bash
# The GPU check of issue 15, one prepared script, under 8 minutes. Run from the repository root on a
# machine with an NVIDIA GPU, a CUDA build of torch and easeval's other dependencies (TensorFlow is
# not needed: it cannot be installed on easeval's GPU machines, and the report says so per machine):
#
#     OUT=/some/folder bash benchmarks/gpu_check.sh
#
# 1. A bfloat16 8192x8192x8192 matmul timed by easeval (three processes) and by
#    torch.utils.benchmark (three processes): easeval's time must be within 7% (about 1 minute).
# 2. `easeval report --device cuda` on the large sizes with whatever time is left of 7.5 minutes; a
#    report cut short keeps every finished measurement in $OUT/results.
# Everything it finds goes to $OUT: machine.txt, summary.txt, matmul/ (matmul.json and logs),
# results/ (result files), report/ (report.md, report.html, results.json, metrics.csv).
# GPU_CHECK_DEVICE=cpu GPU_CHECK_SIZE=small smoke-tests the script on any machine (no report).
# PYTHON names the interpreter (default python3); it needs torch and easeval's dependencies.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d /tmp/easeval-gpu-check-XXXXXX)}
PY=${PYTHON:-python3}
DEVICE=${GPU_CHECK_DEVICE:-cuda}
SIZE=${GPU_CHECK_SIZE:-large}
BUDGET_S=${GPU_CHECK_BUDGET_S:-450}
START=$(date +%s)
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
say() { echo "$*" | tee -a "$SUMMARY"; }

say "easeval GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ), device $DEVICE, size $SIZE, results in $OUT"
{ nvidia-smi || echo "nvidia-smi: not available"; uptime; nproc
  "$PY" - <<'EOF'
import importlib
for name in ("torch", "numpy", "scipy", "click", "jinja2", "matplotlib", "libcst", "radon", "tensorflow", "jax"):
    try:
        module = importlib.import_module(name)
        print(name, getattr(module, "__version__", "?"))
    except Exception as exc:  # noqa: BLE001
        print(name, "NOT AVAILABLE:", type(exc).__name__, exc)
import torch
print("cuda available:", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
EOF
} > "$OUT/machine.txt" 2>&1
grep -E "NOT AVAILABLE|cuda available" "$OUT/machine.txt" | tee -a "$SUMMARY"
if grep -qE "^(torch|numpy|scipy|click|jinja2|matplotlib|libcst|radon) NOT AVAILABLE" "$OUT/machine.txt"; then
    say "easeval's dependencies are missing (above): set PYTHON to an interpreter that has them; stopping"
    exit 3
fi

say "1. bf16 matmul, easeval against torch.utils.benchmark"
timeout 200 "$PY" benchmarks/gpu_check.py --out "$OUT/matmul" --device "$DEVICE" --size "$SIZE" 2>"$OUT/matmul-stderr.log" \
    | tee -a "$SUMMARY"
MATMUL=${PIPESTATUS[0]}
say "   exit status $MATMUL (0 pass, 1 outside 7%, 2 failed: see matmul-stderr.log, 124 timed out)"

if [ "$DEVICE" = "cuda" ]; then
    LEFT=$(( BUDGET_S - ($(date +%s) - START) ))
    say "2. easeval report --device cuda (large sizes), ${LEFT} s left"
    timeout --signal=INT --kill-after=30 "$LEFT" "$PY" -m evaluator report --device cuda --results "$OUT/results" --output "$OUT/report" \
        > "$OUT/report-stdout.txt" 2> "$OUT/report-stderr.txt"
    REPORT=$?
    say "   exit status $REPORT (0 written, 124 or 130: cut short at the time limit, the finished measurements are in results/)"
    grep -iE "not measured on a GPU|TensorFlow" "$OUT/report/report.md" 2>/dev/null | head -5 | tee -a "$SUMMARY"
fi
say "took $(( $(date +%s) - START )) s"
