//! Fuzzes the CASE 1.0 package reader: any bytes give a package or diagnostics, never a panic;
//! and a package read writes out, reads back and writes out again to the same bytes, and maps to
//! a framework bundle without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolemap_formats::case;

fuzz_target!(|data: &[u8]| {
    let Ok(package) = case::read("fuzz.json", data) else {
        return;
    };
    let _ = case::to_bundle(&package, "fuzz", "fuzz.json");
    let mut once = Vec::new();
    case::write(&package, &mut once).expect("writing to memory");
    let again = case::read("once.json", once.as_slice())
        .unwrap_or_else(|e| panic!("a written package does not read back: {e}"));
    let mut twice = Vec::new();
    case::write(&again, &mut twice).expect("writing to memory");
    assert_eq!(once, twice, "read(write(x)) is not x");
});
