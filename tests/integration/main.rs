//! One integration test binary; each theme is a module. Helpers live in `util`.

mod builtin_gazetteer;
mod cli;
mod compiled;
mod eval_ner;
mod eval_quotes;
// The fuzz targets' checks, shared with the regression and property tests.
#[path = "../../fuzz/src/lib.rs"]
mod fuzz_checks;
mod hostile;
mod inputs;
mod matcher;
mod normalize;
mod properties;
mod quotes;
mod reliability;
mod segment;
mod tables;
mod tables_from_records;
mod util;
mod zones;
