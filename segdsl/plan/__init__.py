"""The plan stage: how a segment, a batch or trait values are computed (IR -> Plan -> SQL)."""
