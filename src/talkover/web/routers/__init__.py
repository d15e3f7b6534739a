"""One router per resource: recordings (and job events), review, exports, pages."""
