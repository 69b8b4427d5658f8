//! Matching key with an exact offset map back to the original text (work in progress).
