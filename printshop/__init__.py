"""makebook's engine: YAML content + layout + site -> print-ready PDFs."""

__version__ = "0.1.0"
