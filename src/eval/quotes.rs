//! Quote and speaker evaluation against gold annotations (work in progress).
