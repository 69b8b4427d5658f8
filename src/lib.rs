//! naql (نقل, "transmission, quotation") finds the people, places and organisations
//! named in Persian, Arabic and English news, attributes quoted and reported statements
//! to their speakers, and writes the results as CSV tables whose every row points at an
//! exact span of the source text.
//!
//! The stages, each a type with a clear input and output:
//!
//! ```text
//! read::Inputs          paths, stdin, JSONL, CSV, decoding  -> Document | ReadFailure
//! normalize             matching key + OffsetMap back to the original text
//! segment               paragraphs, sentences, words
//! zones                 zone of each paragraph (title, byline, body, furniture), articles
//! gazetteer             TSV sources, checked and merged
//! matcher::Matcher      compiled names; whole-word, clitic-aware matching
//! dates, outlets        publication date and outlet named in the byline
//! pipeline::Pipeline    per-document stages, in parallel, output in input order
//! sink                  CSV tables, JSONL records, manifest
//! ```
//!
//! ```
//! use naql::{Document, Pipeline};
//! let extraction = Pipeline::builder().build().process(&Document::new("d", "Moscow"));
//! assert_eq!(extraction.lang.code(), "en");
//! ```
#![deny(missing_docs)]

mod allocator;
pub mod dates;
pub mod document;
pub mod eval;
pub mod gazetteer;
pub mod lang;
pub mod matcher;
pub mod normalize;
pub mod outlets;
pub mod pipeline;
pub mod quotes;
pub mod read;
mod scan;
mod seen;
pub mod segment;
pub mod sink;
mod trie;
pub mod zones;

pub use allocator::Allocator;
pub use document::{Document, DocumentMeta, Entity, Mention, Quote, Span};
pub use lang::Lang;
pub use pipeline::{Extraction, Outcome, Pipeline, RunSummary, Sink};
