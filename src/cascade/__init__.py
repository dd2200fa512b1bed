"""cascade: keep an organisation's strategy cascade honest, from vision to personal goals."""

__version__ = "0.1.0"
