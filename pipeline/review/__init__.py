"""The reviewer's workspace: the check list of one anonymised document, the decisions taken on it, and
`bscp review`, a local web app to work through it and approve.

- `checklist`: what a reviewer must decide (the engine's "please check" notes, grouped, and the flags
  raised on the published text);
- `decisions`: each decision written into the review's `anonymisation:` lists, comments kept;
- `app`: the web app on 127.0.0.1.
"""
