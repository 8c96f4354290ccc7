# Reads an .xlsx with openpyxl and prints every non-empty cell of every sheet as JSON:
# {"Sheet": [[row, column, value, data_type, number_format], ...]}. Run with /usr/bin/python3.
import json, sys
import openpyxl

book = openpyxl.load_workbook(sys.argv[1], data_only=False)
out = {}
for ws in book.worksheets:
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            v = c.value
            if not isinstance(v, (int, float, str, bool)):
                v = str(v)
            cells.append([c.row, c.column, v, c.data_type, c.number_format])
    out[ws.title] = {"cells": cells, "charts": len(ws._charts), "freeze": ws.freeze_panes,
                     "tables": sorted(ws.tables.keys()), "orientation": ws.page_setup.orientation,
                     # fitToWidth is absent when it is the schema default, 1.
                     "fitToWidth": ws.page_setup.fitToWidth if ws.page_setup.fitToWidth is not None else 1,
                     "fitToPage": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)}
print(json.dumps(out))
