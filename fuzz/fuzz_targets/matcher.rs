#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| naql_fuzz::matcher(data));
