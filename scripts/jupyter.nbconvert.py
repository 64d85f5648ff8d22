# nbconvert settings for the notebook runner (scripts/notebooks.ts passes this file with --config).
#
# tslab answers a failed cell with status "error" but no ename/evalue/traceback: the error text
# is only in the cell's stderr output, which nbconvert discards when it stops on the error. These
# hooks write the cell being run, and on failure its outputs, to the JSON file named by
# GENAI_NOTEBOOK_REPORT, so the runner can say which cell failed and why.
import json
import os

c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)

_REPORT = os.environ.get("GENAI_NOTEBOOK_REPORT")


def _write(record):
    if not _REPORT:
        return
    with open(_REPORT, "w", encoding="utf-8") as f:
        json.dump(record, f)


def _on_cell_start(cell, cell_index, **_):
    _write({"cell": cell_index, "source": cell.get("source", ""), "status": "running"})


def _on_cell_error(cell, cell_index, execute_reply=None, **_):
    content = (execute_reply or {}).get("content", {})
    _write({
        "cell": cell_index,
        "source": cell.get("source", ""),
        "status": "error",
        "ename": content.get("ename"),
        "evalue": content.get("evalue"),
        "traceback": content.get("traceback"),
        "outputs": cell.get("outputs", []),
    })


c.ExecutePreprocessor.on_cell_start = _on_cell_start
c.ExecutePreprocessor.on_cell_error = _on_cell_error
