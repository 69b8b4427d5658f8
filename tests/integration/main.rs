//! One integration test binary; each theme is a module. Helpers live in `util`.

mod cli;
mod inputs;
mod tables;
mod util;
