//! Fuzzes the framework spreadsheet readers: any bytes, as XLSX or as the one-file CSV, give a
//! framework or diagnostics, never a panic; a framework read writes out to sheets that read back
//! to the same framework.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolemap_formats::{framework_sheets, sheets};

fuzz_target!(|data: &[u8]| {
    if let Ok(workbook) = sheets::read_xlsx("fuzz.xlsx", data) {
        let _ = framework_sheets::from_sheets("fuzz.xlsx", &workbook);
        let _ = rolemap_formats::case::sheets::from_sheets("fuzz.xlsx", &workbook);
    }
    let Ok(workbook) = framework_sheets::read_csv("fuzz.csv", data) else {
        return;
    };
    let Ok(bundle) = framework_sheets::from_sheets("fuzz.csv", &workbook) else {
        return;
    };
    let written = framework_sheets::to_sheets(&bundle);
    let back = framework_sheets::from_sheets("once", &written)
        .unwrap_or_else(|e| panic!("written sheets do not read back: {e}"));
    assert_eq!(back.content(), bundle.content(), "read(write(x)) is not x");
});
