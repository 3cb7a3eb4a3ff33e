"""Pure-Python core of policyreader: loading, the document model and analysis; never imports Qt."""
