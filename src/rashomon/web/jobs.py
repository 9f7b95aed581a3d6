"""Adding articles from the browser: each submission becomes a job that runs the same ingest path
as ``rashomon ingest`` (``workflow.ingest_into``) in a background thread, with progress and
per-input errors the job page shows (and its JSON twin returns).

Pasted text and uploaded files are written to a private temporary folder first, so they are read
exactly like files given on the command line (suffix decides the kind, ``.gz`` is opened).
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.config import IngestOptions
from rashomon.errors import InputError

log = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (".html", ".htm", ".txt", ".json", ".jsonl", ".ndjson", ".html.gz", ".htm.gz", ".txt.gz",
                   ".json.gz", ".jsonl.gz")
MAX_JOBS_KEPT = 200


@dataclass
class Job:
    """One submission: its inputs, progress, stored articles and failed inputs."""

    id: str
    inputs: list[str]
    labels: dict[str, str]               # temporary path -> what the user gave ("pasted text", file name)
    state: str = "running"                # running | done | failed
    done: int = 0
    total: int = 0
    articles: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    folder: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {"page": "job", "id": self.id, "state": self.state, "done": self.done, "total": self.total,
                "articles": self.articles, "errors": self.errors}


class Jobs:
    """Runs and remembers ingest jobs for one store."""

    def __init__(self, db_path: str, options: IngestOptions, after=None) -> None:
        self.db_path = db_path
        self.options = options
        self.after = after  # called with the open store when a job ends (index refresh)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # one ingest at a time: the store has one writer

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def submit(self, *, urls: list[str], text: str | None, text_meta: dict[str, str],
               files: list[tuple[str, bytes]]) -> Job:
        """Start a job for these URLs, pasted text and uploaded (name, bytes) files."""
        folder = tempfile.mkdtemp(prefix="rashomon-add-")
        inputs, labels = list(urls), {}
        if text and text.strip():
            path = Path(folder) / "pasted.jsonl"
            import json
            record = {"raw_text": text, **{k: v for k, v in text_meta.items() if v}}
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
            inputs.append(str(path))
            labels[str(path)] = "pasted text"
        for i, (name, data) in enumerate(files):
            clean = Path(name or "upload").name
            suffix = next((s for s in UPLOAD_SUFFIXES if clean.lower().endswith(s)), None)
            if suffix is None:
                path = Path(folder) / f"{i}-unknown"
                labels[str(path)] = clean
                inputs.append(str(path))
                path.write_bytes(data)
                continue
            path = Path(folder) / f"{i}{suffix}"
            path.write_bytes(data)
            inputs.append(str(path))
            labels[str(path)] = clean
        job = Job(id=uuid.uuid4().hex[:12], inputs=inputs, labels=labels, total=len(inputs), folder=folder)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.pop(next(iter(self._jobs)))
        threading.Thread(target=self._run, args=(job,), name=f"ingest-{job.id}", daemon=True).start()
        return job

    def _label(self, job: Job, source: str) -> str:
        for path, label in job.labels.items():
            if source.startswith(path):
                return label + source[len(path):]
        return source

    def _run(self, job: Job) -> None:
        from rashomon.store import Store
        from rashomon.workflow import Batch, ingest_into

        def on_error(error: InputError) -> None:
            job.errors.append({"input": self._label(job, error.source or "?"), "message": error.message})

        def on_progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        def on_result(record: dict) -> None:
            job.articles.append({**record, "source": self._label(job, record["source"])})

        try:
            with self._write_lock, Store(self.db_path) as store:
                batch = Batch(job.inputs, self.options, on_error=on_error, on_progress=on_progress)
                job.total = len(batch.items)
                ingest_into(store, batch, on_result=on_result)
                if self.after:
                    self.after(store)
            job.state = "done"
        except Exception as exc:  # a job must end in a state the page can show
            log.exception("ingest job %s failed", job.id)
            job.errors.append({"input": "(the job)", "message": f"{type(exc).__name__}: {exc}"})
            job.state = "failed"
        finally:
            if job.folder:
                shutil.rmtree(job.folder, ignore_errors=True)
