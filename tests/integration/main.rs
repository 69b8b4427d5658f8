//! One integration test binary; each theme is a module. Helpers live in `util`.

mod builtin_gazetteer;
mod cli;
mod eval_quotes;
mod hostile;
mod inputs;
mod matcher;
mod normalize;
mod quotes;
mod reliability;
mod segment;
mod tables;
mod util;
