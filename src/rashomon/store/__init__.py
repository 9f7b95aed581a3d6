"""The store: one SQLite file keeps every stage (DESIGN.md). ``Store`` is the only writer."""
from rashomon.store.db import Store, WriteResult
from rashomon.store.template_memory import StoreTemplateMemory

__all__ = ["Store", "WriteResult", "StoreTemplateMemory"]
