//! Fuzzes the OSMT RSD readers: any bytes give RSDs or diagnostics, never a panic, as JSON and
//! as OSMT's CSV; what reads writes out, reads back and writes out again to the same bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolemap_formats::rsd;

fuzz_target!(|data: &[u8]| {
    if let Ok(package) = rsd::read("fuzz.json", data) {
        let _ = rsd::to_bundle(&package, "fuzz");
        let mut once = Vec::new();
        rsd::write(&package, &mut once).expect("writing to memory");
        let again = rsd::read("once.json", once.as_slice())
            .unwrap_or_else(|e| panic!("written RSDs do not read back: {e}"));
        let mut twice = Vec::new();
        rsd::write(&again, &mut twice).expect("writing to memory");
        assert_eq!(once, twice, "read(write(x)) is not x");
    }
    if let Ok(package) = rsd::read_csv("fuzz.csv", data) {
        let mut once = Vec::new();
        rsd::write_csv(&package, &mut once).expect("writing to memory");
        let again = rsd::read_csv("once.csv", once.as_slice())
            .unwrap_or_else(|e| panic!("a written CSV does not read back: {e}"));
        let mut twice = Vec::new();
        rsd::write_csv(&again, &mut twice).expect("writing to memory");
        assert_eq!(once, twice, "read(write(x)) is not x");
    }
});
