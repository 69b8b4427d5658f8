//! naql (نقل, "transmission, quotation") finds the people, places and organisations
//! named in Persian, Arabic and English news, attributes quoted and reported statements
//! to their speakers, and writes the results as CSV tables whose every row points at an
//! exact span of the source text.
#![deny(missing_docs)]

pub mod normalize;
pub mod segment;
