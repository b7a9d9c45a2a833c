"""Yearly briefs: run the ``yearly_brief`` notebook with papermill and turn it into things to hand out.

``run_brief`` executes the notebook for one bureau (or region) and year into ``<out>/<slug>/<year>/`` and
writes there the executed notebook, ``brief.html`` without code, every chart as 1920×1080 PNG and SVG,
and ``brief.pptx`` (title slide, key figures, one chart per slide). ``run_batch`` runs many briefs in
parallel, each in its own process with a time limit, so one failure or hang does not stop the rest; it
writes ``index.html`` and prints a summary. Pitfalls handled (docs/notebooks.md): absolute paths, output
folders created, the kernel named explicitly, unknown parameters rejected before a run.

Modules: ``run`` (papermill, HTML export, ``run_brief``), ``deck`` (the PPTX), ``batch`` (config, child
processes, summary), ``index`` (index.html), ``files`` (the brief folder's names, ``BriefResult``, key
figures), ``defaults`` (kernel, time limit). The notebook itself, ``yearly_brief.ipynb`` (paired with
``yearly_brief.py``), is package data here, so an installed package can make a brief.
"""
