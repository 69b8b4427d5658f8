//! Entity evaluation against CoNLL-style annotations (work in progress).
