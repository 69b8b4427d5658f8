//! One integration test binary; each theme is a module. Helpers live in `util`.

mod builtin_gazetteer;
mod cli;
mod eval_ner;
mod eval_quotes;
mod inputs;
mod matcher;
mod normalize;
mod quotes;
mod segment;
mod tables;
mod tables_from_records;
mod util;
mod zones;
