"""Analysing segments on a warehouse: profile, overlap, diff, snapshots and history, report.

One module per analysis; each builds its SQL as sqlglot trees around the compiled segment
queries (`Project.compile_tree`, `compile_batch_tree`) and runs it through segdsl.warehouse.
The CLI commands are in segdsl/cli/analyze_cmd.py; the semantics in docs/analysis.md.
Importing this package is cheap: the modules import sqlglot, not the drivers.
"""
