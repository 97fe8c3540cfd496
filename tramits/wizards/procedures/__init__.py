"""One module per procedure: its step forms and its wizard."""
