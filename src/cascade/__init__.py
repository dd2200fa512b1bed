"""cascade: keep an organisation's strategy cascade honest, from vision to personal goals."""

__version__ = "0.1.0"

# Where cascade lives on GitHub: `cascade init` points pre-commit and the workflow here.
REPOSITORY = "cascade-plans/cascade"
