//! One integration test binary; each theme is a module.

mod normalize;
mod segment;
