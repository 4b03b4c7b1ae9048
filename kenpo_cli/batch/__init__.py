"""``kenpo batch``: an HR office's sheet in (CSV records, .xlsx), its header and words read,
one verdict per row judged through the core, and the office's outputs written (CSV, JSON
Lines, the workbook, the tasks and their urgency)."""
