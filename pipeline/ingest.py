"""ingest: raw files -> documents, one per article, file or record, each with a status.

Formats: `.txt`/`.md` (one article, first line the title) with an optional
`NAME.meta.json` sidecar, and `.jsonl` (one article per line). Nothing goes missing
silently: a file or record that cannot be used becomes a `skipped` document with a
one-line reason. The input is only ever read and decoded, never executed.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .grammar.dates import dateline

# A text article larger than this is read in parts of this size, and a larger JSON Lines
# record or web page is skipped: news articles are kilobytes, and a part is scanned whole
# by patterns that each have a time limit.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
READ_CHUNK = 1024 * 1024

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".jsonl"}
SIDECAR_SUFFIX = ".meta.json"
META_FIELDS = ("title", "publisher", "published", "url", "language")

# Magic numbers of files that are not text whatever their name says.
BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"PK\x03\x04": "zip archive",
    b"%PDF": "PDF",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
}


# What a raw folder entry that is not a regular file is, by its lstat mode: never opened.
SPECIAL_FILES = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


class RawFile:
    """One raw file opened once, never through a link and never if it is not a regular file;
    every byte read is hashed, so what is recorded of the file is what was read."""

    def __init__(self, path: Path):
        # O_NONBLOCK: should the file have become a FIFO since it was listed, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            self.stat = os.fstat(fd)
            if not stat.S_ISREG(self.stat.st_mode):
                raise OSError(f"{path} is not a regular file")
            self.file = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        self.digest = hashlib.sha256()
        self.bytes_read = 0

    def _seen(self, data: bytes) -> bytes:
        self.digest.update(data)
        self.bytes_read += len(data)
        return data

    def read(self, size: int = -1) -> bytes:
        return self._seen(self.file.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._seen(self.file.readline(size))

    def fingerprint(self) -> dict:
        """sha256 of the bytes read, with the size and mtime the file had when opened. A file
        that changed while it was read keeps no mtime, so the next run hashes it again."""
        whole = self.bytes_read == self.stat.st_size
        return {
            "sha256": self.digest.hexdigest(),
            "size": self.bytes_read,
            "mtime_ns": self.stat.st_mtime_ns if whole else None,
        }

    def close(self) -> None:
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def load_json(data: bytes):
    """A JSON value from bytes; ValueError (with a short reason) for anything the tables
    could not hold: invalid UTF-8 or JSON, nesting too deep to parse, a lone surrogate."""
    try:
        value = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None
    # "\ud800" alone is valid JSON but not Unicode: no Parquet string can hold it. Only a \u
    # escape can write one (UTF-8 decoding refuses an encoded surrogate): a value read from
    # bytes without one is spared encoding it again to look.
    if b"\\u" not in data:
        return value
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a lone surrogate escape (\\ud800-\\udfff), not Unicode text") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    return value


@dataclass
class Document:
    doc_id: str
    source_path: str
    record_id: str | None = None
    line_number: int | None = None
    status: str = "ok"
    reason: str | None = None
    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    published_date: dt.date | None = None
    language: str | None = None
    text: str | None = None
    # Rows kept from the last run for an input that has not changed: not extracted again.
    cached_rows: list[dict] | None = field(default=None, repr=False, compare=False)


def doc_id(source_path: str, record_id: str | None) -> str:
    key = f"{source_path}\x00{record_id or ''}".encode("utf-8", "surrogatepass")
    return hashlib.sha1(key).hexdigest()[:16]


def normalize_text(text: str) -> str:
    """NFC Unicode with \\n line endings and no NUL bytes: the text the offsets index."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, note) for a file's bytes; text is None when they are not text at all."""
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return None, f"binary file ({kind}), not text"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "decoded as UTF-16 (byte order mark)"
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 10:
        return None, "binary file (many NUL bytes), not text"
    try:
        return data.decode("utf-8"), ("NUL bytes removed" if b"\x00" in data else None)
    except UnicodeDecodeError as error:
        text = data.decode("cp1252", errors="replace")
        return text, f"not valid UTF-8 (byte {error.start}); decoded as Windows-1252"


def parse_date(value) -> dt.date:
    """An ISO date or datetime string -> date; ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError(f"published should be a date string, got {type(value).__name__}")
    return dt.date.fromisoformat(value.strip()[:10])


def apply_metadata(doc: Document, meta: dict, today: dt.date) -> list[str]:
    """Copy metadata fields onto the document; returns the problems found."""
    problems = []
    for name in ("title", "publisher", "url", "language"):
        value = meta.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(f"{name} should be a string, got {type(value).__name__}")
            continue
        setattr(doc, name, value.strip() or None)
    published = meta.get("published")
    if published is not None:
        try:
            date = parse_date(published)
        except ValueError:
            problems.append(f"unparseable published date {str(published)[:40]!r}")
        else:
            if date > today:
                problems.append(f"published date {date} is in the future; ignored")
            else:
                doc.published_date = date
    return problems


def _finish(doc: Document, text: str, problems: list[str]) -> Document:
    doc.text = normalize_text(text)
    if not doc.text.strip():
        doc.status, doc.reason, doc.text = "skipped", "empty article text", None
        return doc
    if doc.title is None:
        first = doc.text.lstrip().split("\n", 1)[0].strip()
        doc.title = first[:300] or None
    if doc.published_date is None:
        doc.published_date = dateline(doc.text)
        if doc.published_date:
            problems.append(f"published date {doc.published_date} read from the dateline")
    if problems:
        doc.reason = "; ".join(problems)
    return doc


def _too_big(size: int, limit: int) -> str:
    return f"{size / 1e6:.0f} MB is over the {limit / 1e6:.0f} MB limit for one article (--max-article-mb)"


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def _read_sidecar(path: Path, doc: Document, today: dt.date, seen: dict) -> list[str]:
    sidecar = sidecar_of(path)
    if not os.path.lexists(sidecar):
        return []
    try:
        with RawFile(sidecar) as file:
            data = file.read(MAX_ARTICLE_BYTES + 1)
        seen["sidecar"] = file.fingerprint()
        if len(data) > MAX_ARTICLE_BYTES:
            raise ValueError(_too_big(file.stat.st_size, MAX_ARTICLE_BYTES))
        meta = load_json(data)
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    except OSError as error:
        return [f"metadata {sidecar.name} unreadable ({error.strerror or error})"]
    except ValueError as error:
        return [f"metadata {sidecar.name} unreadable ({str(error).splitlines()[0][:80]})"]
    return apply_metadata(doc, meta, today)


def read_article(
    path: Path, rel: str, today: dt.date, limit: int = MAX_ARTICLE_BYTES, seen: dict | None = None
) -> Iterator[Document]:
    """The article in a file: one document, or for a text file over the limit, one document
    per part of at most `limit` bytes, so that no article is ever held in memory whole.
    `seen` receives the fingerprint of what was read."""
    seen = {} if seen is None else seen
    with RawFile(path) as file:
        size = file.stat.st_size
        if size > limit:
            if path.suffix in HTML_SUFFIXES:
                yield Document(doc_id(rel, None), rel, status="skipped", reason=_too_big(size, limit))
            else:
                yield from _read_parts(file, path, rel, today, limit, seen)
            seen["file"] = file.fingerprint()
            return
        doc = Document(doc_id(rel, None), rel)
        problems = _read_sidecar(path, doc, today, seen)
        data = file.read()
        seen["file"] = file.fingerprint()
    text, note = decode(data)
    if text is None:
        doc.status, doc.reason = "skipped", note
        yield doc
        return
    if note:
        problems.insert(0, note)
    if path.suffix in HTML_SUFFIXES:
        text, title = html_article(text)
        if text is None:
            doc.status, doc.reason = "skipped", "no article text found in the HTML"
            yield doc
            return
        doc.title = doc.title or title
    yield _finish(doc, text, problems)


def _read_parts(
    stream: RawFile, path: Path, rel: str, today: dt.date, limit: int, seen: dict
) -> Iterator[Document]:
    """A text article too large to hold at once, read in parts of at most `limit` characters
    cut at paragraph breaks (else at a space). Each part is a document of its own ('part-1',
    'part-2', ...) whose offsets index its own stored text; together they hold the article."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    template = Document("", rel)
    problems = _read_sidecar(path, template, today, seen)
    problems.append(
        f"{stream.stat.st_size / 1e6:.0f} MB article read in parts of at most "
        f"{limit / 1e6:.0f} MB (--max-article-mb)"
    )
    pending, number = "", 0
    while True:
        chunk = stream.read(READ_CHUNK * 8)
        pending += decoder.decode(chunk, final=not chunk)
        while len(pending) >= limit or (not chunk and pending):
            cut = _cut(pending, limit) if len(pending) >= limit else len(pending)
            number += 1
            part = Document(
                doc_id(rel, f"part-{number}"),
                rel,
                f"part-{number}",
                publisher=template.publisher,
                url=template.url,
                published_date=template.published_date,
                language=template.language,
                title=template.title,
            )
            part = _finish(part, pending[:cut], list(problems))
            # the title and dateline of the first part are the article's
            template.title = template.title or part.title
            template.published_date = template.published_date or part.published_date
            yield part
            pending = pending[cut:]
        if not chunk:
            return


def _cut(text: str, limit: int) -> int:
    """Where a part ends: the last paragraph break, else line break, else space, before `limit`."""
    for separator in ("\n\n", "\n", " "):
        at = text.rfind(separator, 0, limit)
        if at > 0:
            return at + len(separator)
    return limit


def html_article(html: str) -> tuple[str | None, str | None]:
    """The article's title and text from a web page (trafilatura): title first, as in .txt."""
    import trafilatura

    text = trafilatura.extract(html, favor_recall=True, include_comments=False, include_tables=False)
    if not text or not text.strip():
        return None, None
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata and metadata.title else None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text, title


def _lines(stream, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(number, line, size) for each line; a line over the limit is read past in chunks and
    given as None, so it never sits in memory whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        size = len(line)
        if size > limit and not line.endswith(b"\n"):
            while True:
                chunk = stream.readline(READ_CHUNK)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield number, None, size
        else:
            yield number, line, size


def read_records(
    path: Path, rel: str, today: dt.date, limit: int = MAX_ARTICLE_BYTES, read: dict | None = None
) -> Iterator[Document]:
    """One document per line of a JSON Lines file; a bad line is skipped with its number.
    `read` receives the fingerprint of what was read."""
    seen: dict[str, int] = {}
    with RawFile(path) as lines:
        for number, raw, size in _lines(lines, limit):
            if raw is None:
                record_id = f"line-{number}"
                yield Document(
                    doc_id(rel, record_id),
                    rel,
                    record_id,
                    number,
                    "skipped",
                    f"line {number}: {_too_big(size, limit)}",
                )
                continue
            if not raw.strip():
                continue
            try:
                record = load_json(raw)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as error:
                record_id = f"line-{number}"
                yield Document(
                    doc_id(rel, record_id),
                    rel,
                    record_id,
                    number,
                    "skipped",
                    f"line {number}: invalid JSON ({str(error).splitlines()[0][:80]})",
                )
                continue
            raw_id = record.get("id")
            record_id = str(raw_id) if raw_id not in (None, "") else f"line-{number}"
            doc = Document(
                doc_id(rel, f"{record_id}\x00{number}" if record_id in seen else record_id),
                rel,
                record_id,
                number,
            )
            if record_id in seen:
                doc.status = "skipped"
                doc.reason = (
                    f"line {number}: duplicate id {record_id[:60]!r} (first on line {seen[record_id]})"
                )
                yield doc
                continue
            seen[record_id] = number
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                doc.status = "skipped"
                doc.reason = f"line {number}: record has no text"
                yield doc
                continue
            problems = apply_metadata(doc, record, today)
            yield _finish(doc, text, problems)
        if read is not None:
            read["file"] = lines.fingerprint()


def _walk(raw: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, why it cannot be read) for every entry below the raw folder that is not a folder;
    None for a regular file. Links are listed, never followed (a link to a folder, a loop and a
    dangling link are all one entry), and nothing but a regular file is ever opened."""
    folders = [raw]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            if folder == raw:
                raise
            yield folder, f"cannot read folder: {error.strerror or error}"
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:
                yield path, f"cannot read file: {error.strerror or error}"
                continue
            if stat.S_ISLNK(mode):
                yield path, "symbolic link; not followed"
            elif stat.S_ISDIR(mode):
                folders.append(path)
            elif stat.S_ISREG(mode):
                yield path, None
            else:
                kind = next((name for test, name in SPECIAL_FILES if test(mode)), "special file")
                yield path, f"not a regular file ({kind}); not opened"


def raw_files(raw: Path) -> Iterator[Path]:
    """Every entry below the raw folder, in a stable order."""
    yield from sorted(path for path, _ in _walk(raw))


def printable_name(rel: str) -> str | None:
    """A file name that is not valid UTF-8, with its bad bytes written as \\xff; None when valid."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")
    return None


@dataclass(frozen=True)
class RawInput:
    """One raw file as the pipeline reads it: the file, its sidecar if any, and what to do."""

    path: Path
    rel: str
    sidecar: Path | None
    skip_reason: str | None = None  # read nothing: the file becomes one skipped document


def plan(raw: Path) -> list[RawInput]:
    """Every raw file, in the one order every run uses (path order), paired with its sidecar."""
    found = dict(_walk(raw))
    regular = {path for path, problem in found.items() if problem is None}
    articles = {p.with_suffix("") for p in regular if p.suffix in ARTICLE_SUFFIXES}
    inputs = []
    for path, problem in found.items():
        rel = path.relative_to(raw).as_posix()
        reason = problem
        if shown := printable_name(rel):
            rel, reason = shown, "file name is not valid UTF-8; not read"
        elif any(part.startswith(".") for part in path.relative_to(raw).parts):
            reason = "hidden file"
        elif reason:
            pass
        elif path.name.endswith(SIDECAR_SUFFIX):
            if path.with_name(path.name[: -len(SIDECAR_SUFFIX)]) in articles:
                continue  # read with its article
            reason = "metadata sidecar with no article beside it"
        elif path.suffix not in ARTICLE_SUFFIXES | RECORD_SUFFIXES:
            reason = f"unsupported file type {path.suffix or '(no extension)'!r}"
        sidecar = sidecar_of(path) if path.suffix in ARTICLE_SUFFIXES else None
        inputs.append(RawInput(path, rel, sidecar if sidecar in regular else None, reason))
    return sorted(inputs, key=lambda item: PurePosixPath(item.rel))


def skipped(item: RawInput, reason: str) -> Document:
    return Document(doc_id(item.rel, None), item.rel, status="skipped", reason=reason)


def read_input(
    item: RawInput, today: dt.date, limit: int = MAX_ARTICLE_BYTES, seen: dict | None = None
) -> Iterator[Document]:
    """The documents of one raw input: one for an article, one per line of JSON Lines.
    `seen` receives the fingerprint of the bytes read (see RawFile)."""
    if item.skip_reason:
        yield skipped(item, item.skip_reason)
        return
    try:
        if item.path.suffix in ARTICLE_SUFFIXES:
            yield from read_article(item.path, item.rel, today, limit, seen)
        else:
            yield from read_records(item.path, item.rel, today, limit, seen)
    except OSError as error:  # unreadable input: the input's problem, not the pipeline's
        yield skipped(item, f"cannot read file: {error.strerror or error}")


def read_raw(raw: Path, today: dt.date | None = None, limit: int = MAX_ARTICLE_BYTES) -> Iterator[Document]:
    """Every raw file and record as a document, in path order then line order."""
    today = today or dt.date.today()
    for item in plan(raw):
        yield from read_input(item, today, limit)
