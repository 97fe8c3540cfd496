"""The internal REST API and the client the rest of the code uses to call it."""
