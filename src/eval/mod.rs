//! Measuring naql against annotated data: entity mentions (CoNLL) and quotes.

pub mod ner;
pub mod quotes;
