"""What a loud failure told the developer: localisation, what the message names, how much there was to read.

Everything is read from what the user would see by default: the exception's message and the traceback
as Python prints it (chained exceptions included), after the framework's own traceback filtering
(TensorFlow and Keras drop their frames by default; PyTorch does not). The harness's frames (easeval's
worker, the task's spec) are not the user's and are left out of every count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MESSAGE_CAP = 10_000  # characters: a longer message counts as this long (one giant message must not dominate)

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<function>.*))?$')
_CHAIN = re.compile(r"^(The above exception was the direct cause of the following exception:"
                    r"|During handling of the above exception, another exception occurred:)$")
# Concrete shapes: a tuple or list of two or more sizes, torch.Size, "16x9", "size ... (3)".
_SHAPE = re.compile(r"torch\.Size\(|\(\s*(?:None|\d+)\s*(?:,\s*(?:None|\d+)\s*)+\)|\[\s*(?:None|\d+)\s*(?:,\s*(?:None|\d+)\s*)+\]"
                    r"|\b\d+x\d+\b|\bsize\b[^.\n]*\(\d+\)|\bshapes?\b[^.\n]*\d")
_DTYPE = re.compile(r"\b(?:b?float(?:16|32|64)|u?int(?:8|16|32|64)|complex(?:64|128)|Double|Float|Long|Half|BFloat16|"
                    r"DT_[A-Z0-9]+)\b")
_DEVICE = re.compile(r"\b(?:cuda(?::\d+)?|cpu|[CG]PU:\d+|/device:[A-Z]+:\d+)\b")
_GENERATED = ("__autograph_generated_file", "<eval_with_key>", "torch_dynamo_resume_in_")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


@dataclass(frozen=True)
class Frame:
    file: str
    line: int
    function: str
    source: str      # the source line Python printed under it ("" when none)
    kind: str        # user | framework | generated | harness


# Localisation grades (docs/debugging.md), from the innermost user location (below) to the planted lines.
EXACT, NEAR, ELSEWHERE, NO_USER_FRAME = "exact", "near", "elsewhere", "no user frame"
GRADES = (EXACT, NEAR, ELSEWHERE, NO_USER_FRAME)
LOCALISED_GRADES = (EXACT, NEAR)     # claim 8's "localised"
NEAR_LINES = 3                       # near: in the planted function, at most this many lines from the planted lines
_CITED_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<function>[\w<>.]+))?')


@dataclass(frozen=True)
class Location:
    line: int
    function: str


def innermost_user_location(message: str, traceback_text: str, user_file: str,
                            harness: tuple[str, ...] = ()) -> Location | None:
    """Where the failure points in the user's file: the innermost frame of the user's file that the
    message lists (TensorFlow's "in user code" block, Dynamo's "from user code": frames inside the traced
    function, deeper than any traceback frame), else the innermost user frame of the exception raised
    last. Callers are never credited: only the innermost location counts."""
    cited = [m for m in _CITED_FRAME.finditer(strip_ansi(message or ""))
             if m.group("file") == user_file or Path(m.group("file")).name == Path(user_file).name]
    if cited:
        last = cited[-1]
        return Location(int(last.group("line")), last.group("function") or "")
    blocks = parse_traceback(traceback_text or "", user_file, harness)
    user = [f for f in blocks[-1] if f.kind == "user"]
    return Location(user[-1].line, user[-1].function) if user else None


def _same_function(frame_function: str, planted_function: str) -> bool:
    planted = planted_function.rsplit(".", 1)[-1] or "<module>"
    return frame_function.rsplit(".", 1)[-1] == planted


def localisation_grade(location: Location | None, planted: tuple[int, int], planted_function: str | None) -> tuple[str, int | None]:
    """(grade, lines from the planted lines): exact when the innermost user location is on the planted
    lines; near when it is in the planted function at most NEAR_LINES lines away; elsewhere otherwise
    (another function, farther, a caller); no user frame when the user's file is not shown at all."""
    if location is None:
        return NO_USER_FRAME, None
    start, end = planted
    distance = 0 if start <= location.line <= end else min(abs(location.line - start), abs(location.line - end))
    if distance == 0:
        return EXACT, 0
    if planted_function is not None and _same_function(location.function, planted_function) and distance <= NEAR_LINES:
        return NEAR, distance
    return ELSEWHERE, distance


@dataclass(frozen=True)
class MessageMetrics:
    """The figures `easeval debug` keeps for one loud failure."""

    innermost_user_frame_is_planted: bool     # the deepest user frame of the final exception is on the planted lines
    planted_in_user_frames: bool              # the planted lines appear in any user frame shown
    message_cites_planted_line: bool          # the message text itself names the file and a planted line
    names_shapes: bool
    names_dtypes: bool
    names_devices: bool
    frames_user: int
    frames_framework: int
    frames_generated: int
    message_chars: int                        # ANSI stripped, capped at MESSAGE_CAP
    traceback_lines: int
    innermost_user_line: int | None
    localisation: str = NO_USER_FRAME         # GRADES: the innermost user location against the planted lines
    innermost_user_function: str | None = None
    lines_from_planted: int | None = None

    @property
    def localised(self) -> bool:
        """Loud *and localised*, claim 8's primary: exact or near (no credit for callers)."""
        return self.localisation in LOCALISED_GRADES


def frame_kind(file: str, user_file: str, harness: tuple[str, ...]) -> str:
    if file == user_file:
        return "user"
    name = Path(file).name
    if file.startswith("<") or any(marker in name for marker in _GENERATED):
        return "generated"
    if any(file.startswith(prefix) for prefix in harness):
        return "harness"
    return "framework"


def parse_traceback(text: str, user_file: str, harness: tuple[str, ...] = ()) -> list[list[Frame]]:
    """The frames Python printed, one list per exception in the chain (the last is the one raised)."""
    blocks: list[list[Frame]] = [[]]
    lines = strip_ansi(text).splitlines()
    for i, line in enumerate(lines):
        if _CHAIN.match(line.strip()):
            blocks.append([])
            continue
        match = _FRAME.match(line)
        if match:
            source = lines[i + 1].strip() if i + 1 < len(lines) and not _FRAME.match(lines[i + 1]) else ""
            file = match.group("file")
            blocks[-1].append(Frame(file, int(match.group("line")), match.group("function") or "", source,
                                    frame_kind(file, user_file, harness)))
    return [b for b in blocks if b] or [[]]


def _cites(message: str, user_file: str, planted: range) -> bool:
    """Whether the message names the user's file with a line in the planted range (File "x", line N / x:N)."""
    name = re.escape(Path(user_file).name)
    for match in re.finditer(rf'{name}"?,? line (\d+)|{name}:(\d+)', message):
        line = int(match.group(1) or match.group(2))
        if line in planted:
            return True
    return False


def message_metrics(message: str, traceback_text: str, user_file: str, planted: tuple[int, int],
                    harness: tuple[str, ...] = (), function: str | None = None) -> MessageMetrics:
    """The localisation and message figures of one loud failure of the file `user_file`; `function` is the
    function the bug was planted in ("" at module level; None: unknown, so never near)."""
    lines = range(planted[0], planted[1] + 1)
    message = strip_ansi(message or "")
    blocks = parse_traceback(traceback_text or "", user_file, harness)
    shown = [f for block in blocks for f in block if f.kind != "harness"]
    final_user = [f for f in blocks[-1] if f.kind == "user"]
    innermost = final_user[-1].line if final_user else None
    location = innermost_user_location(message, traceback_text, user_file, harness)
    grade, distance = localisation_grade(location, planted, function)
    return MessageMetrics(
        innermost_user_frame_is_planted=innermost in lines if innermost is not None else False,
        planted_in_user_frames=any(f.kind == "user" and f.line in lines for f in shown),
        message_cites_planted_line=_cites(message, user_file, lines),
        names_shapes=bool(_SHAPE.search(message)), names_dtypes=bool(_DTYPE.search(message)),
        names_devices=bool(_DEVICE.search(message)),
        frames_user=sum(f.kind == "user" for f in shown), frames_framework=sum(f.kind == "framework" for f in shown),
        frames_generated=sum(f.kind == "generated" for f in shown),
        message_chars=min(len(message), MESSAGE_CAP), traceback_lines=len(strip_ansi(traceback_text or "").splitlines()),
        innermost_user_line=innermost, localisation=grade,
        innermost_user_function=location.function if location else None, lines_from_planted=distance,
    )


_BACKWARD_CALLS = (".backward(", ".gradient(", "autograd.grad(", "apply_gradients(")
_BACKWARD_FILES = ("torch/autograd/", "tensorflow/python/eager/backprop", "tensorflow/python/ops/gradients")
_TRACE_FILES = ("torch/_dynamo/", "torch/_inductor/", "tensorflow/python/autograph/", "polymorphic_function")


def loud_phase(worker_phase: str | None, traceback_text: str, user_file: str, harness: tuple[str, ...] = (),
               message: str = "") -> str:
    """setup, trace, forward or backward: where in the user's program the exception surfaced.

    The worker knows whether it was in setup(...) or run(...); inside run, the frames say whether it
    was computing gradients (a user frame calling .backward/.gradient, or autograd's own files), or
    tracing/compiling (AutoGraph's generated files, TensorFlow's "in user code" report, a graph node
    named in the message as `{{node ...}}`, which only graph construction reports, or Dynamo).
    """
    if worker_phase is None or not worker_phase.startswith("run("):
        return "setup"
    blocks = parse_traceback(traceback_text or "", user_file, harness)
    frames = [f for block in blocks for f in block]
    user = [f for f in blocks[-1] if f.kind == "user"]
    if (user and any(call in user[-1].source for call in _BACKWARD_CALLS)) or \
            any(any(marker in f.file for marker in _BACKWARD_FILES) for f in frames):
        return "backward"
    text = strip_ansi(traceback_text or "")
    if "in user code:" in text or "{{node " in message or any(f.kind == "generated" or any(m in f.file for m in _TRACE_FILES) for f in frames):
        return "trace"
    return "forward"
