"""Many policies at once: ``scan`` over a corpus on this machine's cores or a Dask cluster."""
