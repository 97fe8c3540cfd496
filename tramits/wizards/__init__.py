"""One multi-step form (django-formtools) per online procedure."""
