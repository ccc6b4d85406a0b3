"""Print batches: per bill run, the paper bills merged into one PDF in address order, with a manifest."""
