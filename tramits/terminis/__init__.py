"""The business-day calendar (holidays) and term arithmetic of Llei 39/2015 art. 30."""
