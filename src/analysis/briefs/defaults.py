"""What a brief runs with unless told otherwise: the Jupyter kernel and a batch's time limit per brief.

Kept apart (no imports) so the command line can show them in ``--help`` without loading pandas."""

DEFAULT_KERNEL = "python3"
DEFAULT_TIMEOUT = 600  # seconds per brief in a batch
