//! Paragraphs, sentences and words (work in progress).
