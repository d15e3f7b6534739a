"""``talkover serve``: a local web app over a talkover store — upload, queue, history, and the
report page with a review that corrects the counts (:mod:`talkover.review`)."""
