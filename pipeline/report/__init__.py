"""report: one self-contained HTML page of an output folder, for reading offline.

`write_report(out)` writes `out/report/index.html`; see `data` (what is shown), `charts`
(the Plotly figures) and `page` (the HTML around them).
"""

from .data import ReportError
from .page import write_report

__all__ = ["ReportError", "write_report"]
