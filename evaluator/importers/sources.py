"""What an import reads from: a folder, a wheel or an sdist, opened with the standard library only.

Archives are read in memory, member by member: nothing is unpacked to disk, so a member named
`../../x` cannot land outside anything (it is skipped and reported), and nothing is imported or run
(no setup.py, no build backend, no git command: a checkout's commit is read from `.git` as text).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tarfile
import tomllib
import zipfile
from configparser import ConfigParser
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath
from typing import Callable

from evaluator.importers import ImportFailure

SDIST_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar", ".zip")
MAX_FILE_BYTES = 64 * 2**20   # a source file larger than this is an archive bomb or data, not code
_SKIPPED_FOLDERS = {"__pycache__", "node_modules"}


@dataclass
class Source:
    """The files of a source as relative POSIX paths, and how to read each one."""

    path: Path
    kind: str                                  # tree | wheel | sdist
    files: list[str]
    reader: Callable[[str], bytes]
    package: str = ""
    version: str = ""
    git_commit: str = ""
    sha256: str = ""
    problems: list[str] = field(default_factory=list)
    closer: Callable[[], None] = lambda: None

    def read(self, relative: str) -> bytes:
        return self.reader(relative)

    def close(self) -> None:
        self.closer()

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def open_source(path: Path | str) -> Source:
    """A folder, a wheel (.whl) or an sdist; raises ImportFailure naming the path when none can be read."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ImportFailure(f"{path}: symlink loop (the link leads back to itself)") from exc
        raise ImportFailure(f"{path}: no such file or folder") from exc
    if stat.S_ISDIR(info.st_mode):
        return _tree(path)
    name = path.name.lower()
    if name.endswith(".whl"):
        return _zip(path, "wheel")
    if name.endswith(SDIST_SUFFIXES):
        return _zip(path, "sdist") if name.endswith(".zip") else _tar(path)
    raise ImportFailure(f"{path}: not a folder, a wheel (.whl) or an sdist ({', '.join(SDIST_SUFFIXES)})")


# ---- folders -----------------------------------------------------------------------------------------

def _tree(root: Path) -> Source:
    """Walk `root`, following symlinks that stay inside it; loops and links leading out are reported."""
    real_root = Path(os.path.realpath(root))
    files: list[str] = []
    problems: list[str] = []
    seen_folders = {(os.stat(root).st_dev, os.stat(root).st_ino)}
    pending = [(root, PurePosixPath())]
    while pending:
        folder, relative = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(f"{folder}: cannot list ({exc.strerror or exc})")
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in _SKIPPED_FOLDERS:
                continue
            where = Path(entry.path)
            if entry.is_symlink():
                target = os.path.realpath(where)
                try:
                    os.stat(where)
                except OSError as exc:
                    what = "symlink loop" if exc.errno == errno.ELOOP else "dangling symlink"
                    problems.append(f"{where}: {what}, skipped")
                    continue
                if not (target == str(real_root) or target.startswith(str(real_root) + os.sep)):
                    problems.append(f"{where}: symlink leads outside {root} (to {target}), not followed")
                    continue
            try:
                info = os.stat(where)
            except OSError as exc:
                problems.append(f"{where}: cannot read ({exc.strerror or exc}), skipped")
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in seen_folders:
                    problems.append(f"{where}: symlink loop (leads back to a folder already read), not followed")
                    continue
                seen_folders.add(key)
                pending.append((where, relative / entry.name))
            elif stat.S_ISREG(info.st_mode):
                files.append(str(relative / entry.name))
    files.sort()

    def read(relative: str) -> bytes:
        file = root.joinpath(*relative.split("/"))
        if file.stat().st_size > MAX_FILE_BYTES:
            raise OSError(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        return file.read_bytes()

    package, version = _tree_package(root)
    return Source(root, "tree", files, read, package, version, git_commit(root), problems=problems)


def _tree_package(root: Path) -> tuple[str, str]:
    """Name and version as the tree's metadata states them (read as text, never built or run)."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
        if isinstance(project.get("name"), str):
            version = project.get("version")
            return project["name"], version if isinstance(version, str) else ""
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        pass
    for name in ("PKG-INFO", "METADATA"):
        try:
            return _metadata_headers((root / name).read_bytes())
        except OSError:
            continue
    parser = ConfigParser(interpolation=None)
    try:
        parser.read(root / "setup.cfg", encoding="utf-8")
        return parser.get("metadata", "name", fallback=""), parser.get("metadata", "version", fallback="")
    except Exception:  # noqa: BLE001 - a malformed setup.cfg only costs the provenance
        return "", ""


def git_commit(path: Path) -> str:
    """The commit checked out at `path`, read from .git as text (running git on a stranger's checkout
    could run its hooks or fsmonitor); "" outside git."""
    for folder in (path.resolve(), *path.resolve().parents):
        git = folder / ".git"
        try:
            if git.is_file():  # a worktree or submodule: "gitdir: <path>"
                pointer = git.read_text(encoding="utf-8").strip()
                if not pointer.startswith("gitdir:"):
                    return ""
                git = (folder / pointer.removeprefix("gitdir:").strip()).resolve()
            elif not git.is_dir():
                continue
            head = (git / "HEAD").read_text(encoding="utf-8").strip()
            if not head.startswith("ref:"):
                return head
            ref = head.removeprefix("ref:").strip()
            for base in (git, _common_dir(git)):
                if (base / ref).is_file():
                    return (base / ref).read_text(encoding="utf-8").strip()
                packed = base / "packed-refs"
                if packed.is_file():
                    for line in packed.read_text(encoding="utf-8").splitlines():
                        commit, _, name = line.partition(" ")
                        if name == ref:
                            return commit
            return ""
        except (OSError, UnicodeDecodeError):
            return ""
    return ""


def _common_dir(git: Path) -> Path:
    try:
        return (git / (git / "commondir").read_text(encoding="utf-8").strip()).resolve()
    except OSError:
        return git


# ---- archives ----------------------------------------------------------------------------------------

def _safe_member(name: str) -> str | None:
    """The member's path if it stays inside the archive (no absolute path, no `..`), else None."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _metadata_headers(data: bytes) -> tuple[str, str]:
    headers = HeaderParser().parsestr(data.decode("utf-8", errors="replace"))
    return headers.get("Name", "") or "", headers.get("Version", "") or ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _zip(path: Path, kind: str) -> Source:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailure(f"{path}: not a readable {kind} (zip archive): {exc}") from exc
    members: dict[str, zipfile.ZipInfo] = {}
    problems = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        safe = _safe_member(info.filename)
        if safe is None:
            problems.append(f"{path}: member {info.filename!r} would escape the archive's folder, skipped")
        elif stat.S_ISLNK(info.external_attr >> 16):
            problems.append(f"{path}: member {info.filename!r} is a symlink, skipped")
        else:
            members[safe] = info

    def read(relative: str) -> bytes:
        info = members[relative]
        if info.file_size > MAX_FILE_BYTES:
            raise OSError(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        try:
            return archive.read(info)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:  # zlib.error is an Exception too
            raise OSError(f"corrupt member: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - zlib.error and friends: a corrupt member, said as such
            raise OSError(f"corrupt member: {type(exc).__name__}: {exc}") from exc

    package = version = ""
    meta = [m for m in members if m.count("/") == 1 and m.endswith((".dist-info/METADATA", "/PKG-INFO"))]
    if meta:
        try:
            package, version = _metadata_headers(read(meta[0]))
        except OSError as exc:
            problems.append(f"{path}: {meta[0]}: {exc}")
    return Source(path, kind, sorted(members), read, package, version, "", _sha256(path), problems, archive.close)


def _tar(path: Path) -> Source:
    try:
        archive = tarfile.open(path, "r:*")
        infos = archive.getmembers()  # reads the whole index now: a truncated archive fails here, clearly
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise ImportFailure(f"{path}: not a readable sdist (tar archive): {exc}") from exc
    members: dict[str, tarfile.TarInfo] = {}
    problems = []
    for info in infos:
        if info.isdir():
            continue
        safe = _safe_member(info.name)
        if safe is None:
            problems.append(f"{path}: member {info.name!r} would escape the archive's folder, skipped")
        elif not info.isfile():
            problems.append(f"{path}: member {info.name!r} is a link or special file, skipped")
        else:
            members[safe] = info

    def read(relative: str) -> bytes:
        info = members[relative]
        if info.size > MAX_FILE_BYTES:
            raise OSError(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        try:
            handle = archive.extractfile(info)
            return handle.read() if handle is not None else b""
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise OSError(f"corrupt member: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - zlib/lzma errors on a corrupt stream
            raise OSError(f"corrupt member: {type(exc).__name__}: {exc}") from exc

    package = version = ""
    meta = [m for m in members if m.count("/") == 1 and m.endswith("/PKG-INFO")]
    if meta:
        try:
            package, version = _metadata_headers(read(meta[0]))
        except OSError as exc:
            problems.append(f"{path}: {meta[0]}: {exc}")
    return Source(path, "sdist", sorted(members), read, package, version, "", _sha256(path), problems, archive.close)
