"""The history of one item as the documented JSON: `{version: 1, id, entries: [...]}`."""

from __future__ import annotations

import json

from cascade.diffreport.json_render import change_record
from cascade.history import History

SHAPE_VERSION = 1


def render(history: History) -> str:
    data = {
        "version": SHAPE_VERSION,
        "id": history.id,
        "kind": history.kind,
        "title": history.title,
        "added_in": history.added_in,
        "removed_in": history.removed_in,
        "entries": [
            {
                "commit": entry.commit.sha,
                "date": entry.commit.date,
                "author": entry.commit.author,
                "subject": entry.commit.subject,
                "changes": [change_record(change) for change in entry.changes],
            }
            for entry in history.entries
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
