"""Independent reader for tests: opens a Delta table with delta-rs (the Python `deltalake` package) and prints
what it sees as one JSON object: version, protocol, schema, partition columns, history, files and all rows."""
import json
import os
import sys

from deltalake import DeltaTable


def main(path: str, version: str | None) -> None:
    dt = DeltaTable(path, version=int(version)) if version else DeltaTable(path)
    table = dt.to_pyarrow_table()
    protocol = dt.protocol()
    out = {
        "version": dt.version(),
        "protocol": [protocol.min_reader_version, protocol.min_writer_version],
        "schema": [[f.name, str(f.type), f.nullable] for f in dt.schema().fields],
        "partition_columns": dt.metadata().partition_columns,
        "history": [{"version": h.get("version"), "operation": h.get("operation")} for h in dt.history()],
        "num_files": len(dt.file_uris()),
        "rows": table.to_pylist(),
    }
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    # delta-rs' runtime threads can abort the interpreter's teardown ("terminate called without an active
    # exception", delta-io/delta-rs#2184) after all work is done: leave without teardown once output is flushed.
    sys.stdout.flush()
    os._exit(0)
