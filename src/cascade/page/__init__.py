"""The building blocks every report's renderers share, one module per kind of output:
`plain` (fixed-width text for pipes and files), `markdown` (GitHub-flavoured, every piece
of plan text escaped) and `terminal` (rich tables and colour). A report is a model; each
of its formats is one function that walks the model and lays it out with these blocks."""
