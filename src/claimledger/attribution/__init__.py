"""Attribution: find who said what (source, cue, content) in a parsed article."""
